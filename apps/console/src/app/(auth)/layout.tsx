import { BrainCircuitIcon } from "lucide-react";
import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="bg-muted/40 flex min-h-svh flex-col items-center justify-center gap-6 p-4">
      <div className="flex items-center gap-2 font-semibold">
        <BrainCircuitIcon className="size-6" aria-hidden />
        Neural memory console
      </div>
      <div className="w-full max-w-sm">{children}</div>
    </main>
  );
}
