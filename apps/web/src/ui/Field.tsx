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
  /** A line under the control saying what it does or expects. */
  hint?: ReactNode;
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
  hint,
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
      {hint && <small className="muted">{hint}</small>}
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

interface SelectFieldProps<T extends string> extends Omit<FieldProps, "children" | "group"> {
  value: T;
  onChange: (value: T) => void;
  options: readonly { value: T; label: string }[];
  /** A first option for "no choice" (value ""), e.g. "None" or "Any class". */
  none?: string;
  disabled?: boolean;
  selectTestId?: string;
}

/** A labelled <select> over a list of choices. */
export function SelectField<T extends string>({
  value,
  onChange,
  options,
  none,
  disabled,
  selectTestId,
  ...field
}: SelectFieldProps<T>) {
  return (
    <Field {...field}>
      <select
        value={value}
        onChange={(event) => onChange(event.target.value as T)}
        disabled={disabled}
        data-testid={selectTestId}
      >
        {none !== undefined && <option value="">{none}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
