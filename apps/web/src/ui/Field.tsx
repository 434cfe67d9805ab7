import type { ReactNode } from "react";

interface FieldProps {
  label: ReactNode;
  children: ReactNode;
  /** Filters and toolbars. */
  compact?: boolean;
  /** Short numbers. */
  narrow?: boolean;
  /** The label beside the control rather than above it. */
  inline?: boolean;
  /**
   * A control that is not one form element (a segmented control, a tag editor): the field is a
   * <div> and the control names itself, since a <label> would give it the wrong name.
   */
  group?: boolean;
  className?: string;
  labelClassName?: string;
  testId?: string;
}

/** A labelled form control: the label wraps the control, so clicking it focuses the control. */
export function Field({
  label,
  children,
  compact,
  narrow,
  inline,
  group,
  className,
  labelClassName,
  testId,
}: FieldProps) {
  const classes = [
    "field",
    compact && "field--compact",
    narrow && "field--narrow",
    inline && "field--inline",
    className,
  ]
    .filter(Boolean)
    .join(" ");
  const Tag = group ? "div" : "label";
  return (
    <Tag className={classes} data-testid={testId}>
      <span className={labelClassName}>{label}</span>
      {children}
    </Tag>
  );
}

/** A group of checkboxes or toggles under one legend. */
export function FieldSet({
  legend,
  children,
  compact,
  className,
  testId,
}: {
  legend: ReactNode;
  children: ReactNode;
  compact?: boolean;
  className?: string;
  testId?: string;
}) {
  const classes = ["field", compact && "field--compact", className].filter(Boolean).join(" ");
  return (
    <fieldset className={classes} data-testid={testId}>
      <legend>{legend}</legend>
      {children}
    </fieldset>
  );
}
