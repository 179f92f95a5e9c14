// The local read-only web page of `synth ui`: server, API payloads and page files.
export { DEFAULT_UI_PORT, startUiServer, type UiServer, type UiServerOptions } from './ui-server.js';
export { assetData, graphData, type UiAsset, type UiGraph, type UiHistoryRow, type UiNode } from './ui-data.js';
