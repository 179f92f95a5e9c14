/** A tooltip line of a heatmap cell (a Vega-Lite field definition). */
export interface HeatmapTooltip {
  field: string;
  type: 'nominal' | 'quantitative';
  title?: string;
  format?: string;
}

/** One heatmap of a side-by-side row of heatmaps (the association and confusion charts). */
export interface HeatmapPanelOptions {
  /** The panel's title, above it. */
  title: string;
  /** Width and height in pixels (the panel is square). */
  size: number;
  /** The cells: one row per (x, y) pair. */
  values: object[];
  /** The category field on x and its axis title (null: none). Example: `{ field: 'predicted', title: 'predicted' }`. */
  x: { field: string; title: string | null };
  /** The category field on y and its axis title (null: none). */
  y: { field: string; title: string | null };
  /** The order of the categories on both axes, so a cell sits at the same place in every panel. */
  order: readonly string[];
  /** Axis label angle of x, in degrees. */
  labelAngle: number;
  /** The colour: the value's field, the legend title, the scale and the legend (null: none). */
  color: { field: string; title: string; scale: object; legend: object | null };
  /** What hovering a cell shows in the UI (also each cell's aria-label in the SVG unless `ariaCells` is false). */
  tooltip: readonly HeatmapTooltip[];
  /** Each cell's value printed in it (font size, number format), or none. Cells without a valid value print nothing. */
  text: { fontSize: number; format?: string } | null;
  /**
   * Whether each cell carries an aria-label (its tooltip read out). Default true. A 20-column
   * matrix has 1,200 cells: their labels are noise to a screen reader and two thirds of its SVG.
   */
  ariaCells?: boolean;
}

/** A heatmap panel (layered rect + optional text) for an `hconcat` of heatmaps. */
export function heatmapPanel(o: HeatmapPanelOptions) {
  const x = { field: o.x.field, type: 'nominal', sort: o.order, title: o.x.title, axis: { labelAngle: o.labelAngle, labelLimit: 90 } } as const;
  const y = { field: o.y.field, type: 'nominal', sort: o.order, title: o.y.title, axis: { labelLimit: 90 } } as const;
  return {
    title: o.title,
    width: o.size,
    height: o.size,
    data: { values: o.values },
    layer: [
      {
        mark: { type: 'rect', ...(o.ariaCells === false ? { aria: false } : {}) },
        encoding: {
          x,
          y,
          color: { field: o.color.field, type: 'quantitative', scale: o.color.scale, title: o.color.title, legend: o.color.legend },
          tooltip: o.tooltip,
        },
      },
      ...(o.text
        ? [
            {
              transform: [{ filter: `isValid(datum[${JSON.stringify(o.color.field)}])` }],
              mark: { type: 'text', fontSize: o.text.fontSize },
              encoding: { x, y, text: { field: o.color.field, type: 'quantitative', ...(o.text.format ? { format: o.text.format } : {}) } },
            },
          ]
        : []),
    ],
  };
}
