import { Toaster } from "@repo/ui/sonner";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata = {
  title: "Neural memory console",
  description: "Developer-tool events turned into searchable memory",
};

export const viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="antialiased">
        {children}
        <Toaster />
      </body>
    </html>
  );
}
