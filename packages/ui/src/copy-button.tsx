"use client";

import { CheckIcon, CopyIcon } from "lucide-react";
import * as React from "react";

import { Button } from "./button";

type CopyButtonProps = Omit<
  React.ComponentProps<typeof Button>,
  "asChild" | "children" | "value"
> & {
  /** The text written to the clipboard. */
  value: string;
};

function CopyButton({
  value,
  variant = "ghost",
  size = "icon",
  onClick,
  ...props
}: CopyButtonProps) {
  const [copied, setCopied] = React.useState(false);
  const timeout = React.useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  React.useEffect(() => () => clearTimeout(timeout.current), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      return;
    }
    setCopied(true);
    clearTimeout(timeout.current);
    timeout.current = setTimeout(() => setCopied(false), 2000);
  }

  return (
    <Button
      type="button"
      data-slot="copy-button"
      data-copied={copied ? "true" : undefined}
      aria-label="Copy"
      title="Copy"
      variant={variant}
      size={size}
      onClick={(event) => {
        onClick?.(event);
        if (!event.defaultPrevented) void copy();
      }}
      {...props}
    >
      {copied ? <CheckIcon /> : <CopyIcon />}
    </Button>
  );
}

export type { CopyButtonProps };
export { CopyButton };
