import type { HTMLAttributes, ReactNode } from "react";

/** Attributes a row or cell may carry besides its content: class, title, data-* for the tests. */
export type CellAttributes = HTMLAttributes<HTMLTableCellElement> &
  Record<`data-${string}`, string | number | boolean | undefined>;
export type RowAttributes = HTMLAttributes<HTMLTableRowElement> &
  Record<`data-${string}`, string | number | boolean | undefined>;

export interface Column<Row> {
  /** The header; with `hideHeader`, what screen readers hear (an actions or checkbox column). */
  header: ReactNode;
  hideHeader?: boolean;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  /** Explains an abbreviated header. */
  title?: string;
  headerClassName?: string;
  /** The row's name: a <th scope="row"> rather than a <td>. */
  rowHeader?: boolean;
  cell?: (row: Row, index: number) => ReactNode;
  cellProps?: (row: Row) => CellAttributes;
}

interface DataTableProps<Row> {
  /** `false` leaves a column out (e.g. actions without the role). */
  columns: readonly (Column<Row> | false | null | undefined)[];
  rows: readonly Row[];
  rowKey: (row: Row, index: number) => string;
  rowProps?: (row: Row, index: number) => RowAttributes;
  /** For rows that are components of their own (they render the <tr>); columns then only head. */
  renderRow?: (row: Row, index: number) => ReactNode;
  /** A totals row (a <tfoot>). */
  footer?: ReactNode;
  className?: string;
  testId?: string;
  "aria-label"?: string;
}

/**
 * The console's table: a header row from the columns, a row per item. Numbers right-aligned,
 * the first column usually the row header, data-* attributes on rows and cells for the tests.
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  rowProps,
  renderRow,
  footer,
  className,
  testId,
  "aria-label": ariaLabel,
}: DataTableProps<Row>) {
  const shown = columns.filter((column): column is Column<Row> => Boolean(column));
  return (
    <table
      className={className ? `table ${className}` : "table"}
      data-testid={testId}
      aria-label={ariaLabel}
    >
      <thead>
        <tr>
          {shown.map((column, index) => (
            <th
              key={index}
              scope="col"
              className={cellClass(column.numeric, column.headerClassName)}
              title={column.title}
            >
              {column.hideHeader ? (
                <span className="visually-hidden">{column.header}</span>
              ) : (
                column.header
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, rowIndex) =>
          renderRow ? (
            renderRow(row, rowIndex)
          ) : (
            <tr key={rowKey(row, rowIndex)} {...rowProps?.(row, rowIndex)}>
              {shown.map((column, index) => {
                const { className: extra, ...props } = column.cellProps?.(row) ?? {};
                const Cell = column.rowHeader ? "th" : "td";
                return (
                  <Cell
                    key={index}
                    scope={column.rowHeader ? "row" : undefined}
                    className={cellClass(column.numeric, extra)}
                    {...props}
                  >
                    {column.cell?.(row, rowIndex)}
                  </Cell>
                );
              })}
            </tr>
          ),
        )}
      </tbody>
      {footer && <tfoot>{footer}</tfoot>}
    </table>
  );
}

function cellClass(numeric: boolean | undefined, extra: string | undefined): string | undefined {
  const names = [numeric ? "num" : "", extra ?? ""].filter(Boolean).join(" ");
  return names || undefined;
}
