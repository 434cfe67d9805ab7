"use client";

import { useRef, useState, type ReactNode } from "react";

interface FileDropProps {
  onFiles: (files: File[]) => void;
  /** The file input's accept list. */
  accept: string;
  multiple?: boolean;
  /** The hidden file input's name for screen readers and tests ("Choose image files"). */
  inputLabel: string;
  testId?: string;
  inputTestId?: string;
  /** The prompt; `choose` opens the file picker (for a "choose files" link). */
  children: (choose: () => void) => ReactNode;
}

/** A drop zone for files, with a hidden file input behind a "choose" link for the keyboard. */
export function FileDrop({
  onFiles,
  accept,
  multiple,
  inputLabel,
  testId,
  inputTestId,
  children,
}: FileDropProps) {
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const choose = () => inputRef.current?.click();
  return (
    <div
      className={dragging ? "dropzone dropzone--active" : "dropzone"}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        onFiles([...event.dataTransfer.files]);
      }}
      data-testid={testId}
    >
      {children(choose)}
      <input
        ref={inputRef}
        type="file"
        multiple={multiple}
        accept={accept}
        className="visually-hidden"
        aria-label={inputLabel}
        data-testid={inputTestId}
        onChange={(event) => {
          onFiles([...(event.target.files ?? [])]);
          // The same file chosen again is a new choice.
          event.target.value = "";
        }}
      />
    </div>
  );
}

/** The "choose files" link inside a FileDrop's prompt. */
export function ChooseLink({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className="link-button" onClick={onClick}>
      {children}
    </button>
  );
}
