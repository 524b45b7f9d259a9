import { getHealth, getRuntime } from "@api/console";

export const dynamic = "force-dynamic";

export default async function Home() {
  const health = await getHealth(await getRuntime());
  const rows = [
    ["Database", health.database, health.details.database.target],
    ["Vectors", health.vectors, `${health.details.vectors.dimension}-d`],
    ["Embeddings", health.embeddings, health.details.embeddings.model],
    ["Workflows", health.workflows, ""],
  ] as const;
  return (
    <main>
      <h1>Neural memory console</h1>
      <p>
        Status: <strong>{health.status}</strong>. Create a workspace and an API key with{" "}
        <code>pnpm cli workspace create --name Acme</code> and{" "}
        <code>pnpm cli api-key create --workspace &lt;id&gt;</code>.
      </p>
      <table>
        <thead>
          <tr>
            <th>Part</th>
            <th>Backend</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([part, backend, detail]) => (
            <tr key={part}>
              <td>{part}</td>
              <td>
                <code>{backend}</code>
              </td>
              <td>{detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
