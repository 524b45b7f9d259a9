import { Alert, AlertDescription } from "@repo/ui/alert";

/** What a form's last submission got wrong, announced where the form is; nothing when it went through. */
export function FormError(props: { message: string | undefined; id?: string }) {
  if (!props.message) return null;
  return (
    <Alert variant="destructive" id={props.id}>
      <AlertDescription>{props.message}</AlertDescription>
    </Alert>
  );
}
