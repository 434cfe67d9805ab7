"use client";

import { useEffect, useRef, type ReactNode } from "react";

interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Extra width for content-heavy dialogs (the uploader). */
  wide?: boolean;
  testId?: string;
}

/**
 * A modal on the native <dialog>: focus trapping, Escape and the top layer come from the browser.
 */
export function Dialog({ open, title, onClose, children, wide, testId }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={wide ? "dialog dialog--wide" : "dialog"}
      aria-label={title}
      data-testid={testId}
      onCancel={(event) => {
        // Escape: let the owner decide (it may refuse while work is running).
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
    >
      {open && (
        <div className="dialog__body">
          <header className="dialog__header">
            <h2>{title}</h2>
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </header>
          {children}
        </div>
      )}
    </dialog>
  );
}

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onCancel} testId="confirm-dialog">
      <div className="dialog__content">{props.message}</div>
      {props.error && <ErrorBanner message={props.error} />}
      <footer className="dialog__footer">
        <button type="button" className="button" onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </button>
        <button
          type="button"
          className={props.danger ? "button button--danger" : "button button--primary"}
          onClick={props.onConfirm}
          disabled={props.busy}
          data-testid="confirm-button"
          autoFocus
        >
          {props.busy ? "Working…" : props.confirmLabel}
        </button>
      </footer>
    </Dialog>
  );
}

export function ErrorBanner({ message, onDismiss }: { message: string; onDismiss?: () => void }) {
  return (
    <div className="banner banner--error" role="alert" data-testid="error-banner">
      <span>{message}</span>
      {onDismiss && (
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}
