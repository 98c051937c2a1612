import { Logo } from "@/components/logo.tsx";

export default function NoProjectPage() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="max-w-md space-y-3 text-center">
        <Logo />
        <h1 className="text-lg font-semibold">You are not a member of any project yet</h1>
        <p className="text-sm text-zinc-500">
          Ask an admin of your Vigil organisation to add you under Settings → Members.
        </p>
      </div>
    </main>
  );
}
