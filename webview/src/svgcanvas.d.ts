// Types of the parts of svgcanvas (zenozeng/svgcanvas, MIT; it ships none) the dashboard uses: a Canvas 2D context
// that records drawing as SVG elements.
declare module 'svgcanvas' {
  export class Context {
    constructor(options: { width: number; height: number });
    width: number;
    height: number;
    /** The drawing so far as an SVG document; `fixNamedEntities` replaces HTML entities XML does not know. */
    getSerializedSvg(fixNamedEntities?: boolean): string;
  }
}
