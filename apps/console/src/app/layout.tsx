import type { ReactNode } from "react";
import "./globals.css";

export const metadata = {
  title: "Neural memory console",
  description: "Developer-tool events turned into searchable memory",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
