import { type EventRow, rowToEvent, rowToLine } from "../queries";
import { CSV_HEADER, csvRow } from "./csv";
import { toOcsf } from "./ocsf";

export type ExportFormat = "csv" | "json" | "ndjson" | "ocsf";

/** A stored row plus its occurred_at (ms), so line formats need not parse the body. */
export type ExportRow = EventRow & { occurred_at: number };

/** How one format frames its rows; `index` counts the rows written before this one. */
export type Format = {
  contentType: string;
  extension: string;
  head: string;
  row(row: EventRow, index: number): string;
  tail(count: number): string;
};

export const FORMATS: Record<ExportFormat, Format> = {
  csv: {
    contentType: "text/csv; charset=utf-8",
    extension: "csv",
    head: CSV_HEADER,
    row: (row) => csvRow(rowToEvent(row), rowToLine(row)),
    tail: () => "",
  },
  json: {
    contentType: "application/json",
    extension: "json",
    head: "[",
    row: (row, i) => `${i === 0 ? "\n" : ",\n"}${rowToLine(row)}`,
    tail: (count) => (count ? "\n]\n" : "]\n"),
  },
  ndjson: {
    contentType: "application/x-ndjson",
    extension: "ndjson",
    head: "",
    row: (row) => `${rowToLine(row)}\n`,
    tail: () => "",
  },
  ocsf: {
    contentType: "application/x-ndjson",
    extension: "ocsf.ndjson",
    head: "",
    row: (row) => `${JSON.stringify(toOcsf(rowToEvent(row)))}\n`,
    tail: () => "",
  },
};
