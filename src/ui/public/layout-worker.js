// Lays out the graph off the page's main thread (see graph-layout.js).
import { layout } from '/graph-layout.js';

self.onmessage = (ev) => self.postMessage({ id: ev.data.id, layout: layout(ev.data.data) });
