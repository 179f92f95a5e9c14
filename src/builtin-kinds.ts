// The built-in asset kinds, registered with the engine's asset-kind seam from their own rooms.
// Imported for its effect by src/builtin-plugins.ts (the CLI) and the public entry src/index.ts.
// Cheap: no kind imports a generator, a check's metrics or a trainer until it runs.
import { registerAssetKind } from './engine/index.js';
import { datasetKind } from './generators/dataset-kind.js';
import { functionKind } from './kinds/function-kind.js';
import { sourceKind } from './kinds/source-kind.js';
import { modelKind } from './models/model-kind.js';
import { validationKind } from './validation/validation-kind.js';
import { imagesKind } from './images/images-kind.js';

// Registration order is the order `kind:` lists them in messages.
registerAssetKind(sourceKind);
registerAssetKind(datasetKind);
registerAssetKind(validationKind);
registerAssetKind(modelKind);
registerAssetKind(functionKind);
registerAssetKind(imagesKind);
