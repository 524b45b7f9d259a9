import { redirect } from "next/navigation";

export default async function WorkspaceHome(props: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await props.params;
  redirect(`/w/${workspaceId}/feed`);
}
