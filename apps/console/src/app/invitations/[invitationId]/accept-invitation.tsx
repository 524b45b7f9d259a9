"use client";

import { Button } from "@repo/ui/button";
import { Spinner } from "@repo/ui/spinner";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormError } from "~/components/form-error";
import { authClient } from "~/lib/auth-client";

export function AcceptInvitation({ invitationId }: { invitationId: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <>
      <FormError message={error} />
      <Button
        disabled={pending}
        onClick={async () => {
          setPending(true);
          const { data, error } = await authClient.organization.acceptInvitation({ invitationId });
          if (!data) {
            setPending(false);
            setError(error?.message ?? "The invitation could not be accepted");
            return;
          }
          router.replace(`/w/${data.member.organizationId}/feed`);
        }}
      >
        {pending ? <Spinner /> : null}
        Join workspace
      </Button>
    </>
  );
}
