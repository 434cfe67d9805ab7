/** The wordmark: a pylon glyph beside the name. */
export function Logo() {
  return (
    <span className="logo">
      <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true">
        <path
          d="M12 2 7 22M12 2l5 20M8.5 15h7M9.6 10.5h4.8M4 6.5h16M5 6.5l2 3M19 6.5l-2 3"
          stroke="currentColor"
          strokeWidth="1.8"
          fill="none"
          strokeLinecap="round"
        />
      </svg>
      <span>gridfill</span>
    </span>
  );
}
