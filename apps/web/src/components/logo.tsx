export function Logo() {
  return (
    <span className="inline-flex items-center gap-2 font-semibold tracking-tight">
      <svg viewBox="0 0 24 24" className="h-6 w-6 text-indigo-600" aria-hidden="true">
        <path
          fill="currentColor"
          d="M12 4C6.5 4 2.4 8.4 1 12c1.4 3.6 5.5 8 11 8s9.6-4.4 11-8c-1.4-3.6-5.5-8-11-8Zm0 13a5 5 0 1 1 0-10 5 5 0 0 1 0 10Zm0-7.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5Z"
        />
      </svg>
      Vigil
    </span>
  );
}
