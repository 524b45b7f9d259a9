import { and, asc, count, eq, gt, notExists, sql } from "drizzle-orm";
import type { Executor } from "../client";
import {
  users,
  type Workspace,
  workspaceInvitations,
  workspaceMembers,
  workspaces,
} from "../schema";
import { newId } from "./ids";

export type WorkspaceRole = "owner" | "admin" | "member";

/** The caller's role in a workspace, or undefined when they are not a member (the console answers 404). */
export async function getMembership(
  db: Executor,
  params: { workspaceId: string; userId: string },
): Promise<{ role: string; workspace: Workspace } | undefined> {
  const [row] = await db
    .select({ role: workspaceMembers.role, workspace: workspaces })
    .from(workspaceMembers)
    .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.organizationId))
    .where(
      and(
        eq(workspaceMembers.organizationId, params.workspaceId),
        eq(workspaceMembers.userId, params.userId),
      ),
    );
  return row;
}

export function listWorkspacesOfUser(
  db: Executor,
  params: { userId: string },
): Promise<{ role: string; workspace: Workspace }[]> {
  return db
    .select({ role: workspaceMembers.role, workspace: workspaces })
    .from(workspaceMembers)
    .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.organizationId))
    .where(eq(workspaceMembers.userId, params.userId))
    .orderBy(asc(workspaces.createdAt));
}

export async function addWorkspaceMember(
  db: Executor,
  params: { workspaceId: string; userId: string; role: WorkspaceRole },
): Promise<void> {
  await db
    .insert(workspaceMembers)
    .values({
      id: newId("mem"),
      organizationId: params.workspaceId,
      userId: params.userId,
      role: params.role,
    })
    .onConflictDoNothing();
}

/**
 * Workspaces nobody belongs to (made with the CLI before anyone signed up) go to the given user as
 * owner; the first account does this, so an existing install keeps its data visible after sign-in arrives.
 */
export async function adoptUnownedWorkspaces(
  db: Executor,
  params: { userId: string },
): Promise<number> {
  const rows = await db
    .insert(workspaceMembers)
    .select(
      db
        .select({
          id: sql<string>`'mem_' || md5(random()::text || ${workspaces.id})`.as("id"),
          organizationId: workspaces.id,
          userId: sql<string>`${params.userId}`.as("user_id"),
          role: sql<string>`'owner'`.as("role"),
          createdAt: sql<Date>`now()`.as("created_at"),
        })
        .from(workspaces)
        .where(
          notExists(
            db
              .select({ one: sql`1` })
              .from(workspaceMembers)
              .where(eq(workspaceMembers.organizationId, workspaces.id)),
          ),
        ),
    )
    .returning({ id: workspaceMembers.id });
  return rows.length;
}

export async function countUsers(db: Executor): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

/** A pending, unexpired invitation with its workspace's name, for the sign-up page that redeems it. */
export async function getPendingInvitation(
  db: Executor,
  params: { invitationId: string },
): Promise<{ email: string; workspaceName: string } | undefined> {
  const [row] = await db
    .select({ email: workspaceInvitations.email, workspaceName: workspaces.name })
    .from(workspaceInvitations)
    .innerJoin(workspaces, eq(workspaces.id, workspaceInvitations.organizationId))
    .where(
      and(
        eq(workspaceInvitations.id, params.invitationId),
        eq(workspaceInvitations.status, "pending"),
        gt(workspaceInvitations.expiresAt, new Date()),
      ),
    );
  return row;
}

export function listWorkspaceMembers(
  db: Executor,
  params: { workspaceId: string },
): Promise<{ userId: string; name: string; email: string; role: string; joinedAt: Date }[]> {
  return db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: workspaceMembers.role,
      joinedAt: workspaceMembers.createdAt,
    })
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(eq(workspaceMembers.organizationId, params.workspaceId))
    .orderBy(asc(workspaceMembers.createdAt));
}

export function listPendingInvitations(
  db: Executor,
  params: { workspaceId: string },
): Promise<{ id: string; email: string; role: string | null; expiresAt: Date }[]> {
  return db
    .select({
      id: workspaceInvitations.id,
      email: workspaceInvitations.email,
      role: workspaceInvitations.role,
      expiresAt: workspaceInvitations.expiresAt,
    })
    .from(workspaceInvitations)
    .where(
      and(
        eq(workspaceInvitations.organizationId, params.workspaceId),
        eq(workspaceInvitations.status, "pending"),
        gt(workspaceInvitations.expiresAt, new Date()),
      ),
    )
    .orderBy(asc(workspaceInvitations.createdAt));
}
