import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { sessionUser } from "@/auth/auth.ts";
import { Logo } from "@/components/logo.tsx";
import { SignInForm } from "./sign-in-form.tsx";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage() {
  if (await sessionUser(await headers())) redirect("/");
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm space-y-6">
        <div className="text-center text-2xl">
          <Logo />
        </div>
        <div className="rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <h1 className="mb-4 text-lg font-semibold">Sign in</h1>
          <SignInForm />
        </div>
        <p className="text-center text-xs text-zinc-500">
          The first start printed an admin login in the terminal. Admins add other people under
          Settings → Members.
        </p>
      </div>
    </main>
  );
}
