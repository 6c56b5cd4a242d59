// The world-atlas TopoJSON files, typed by hand: letting TypeScript infer a 750 kB JSON is slow.
declare module 'world-atlas/countries-50m.json' {
  import type { GeometryCollection, Topology } from 'topojson-specification';
  const topology: Topology<{ countries: GeometryCollection; land: GeometryCollection }>;
  export default topology;
}
