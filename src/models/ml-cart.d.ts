// ml-cart ships no type declarations; this covers the part synthgraph uses.
declare module 'ml-cart' {
  export interface DecisionTreeOptions {
    gainFunction?: 'gini';
    splitFunction?: 'mean';
    /** Fewest samples a node needs to be split further. Default 3. */
    minNumSamples?: number;
    /** Deepest level of the tree. Default Infinity. */
    maxDepth?: number;
    gainThreshold?: number;
  }
  export class DecisionTreeClassifier {
    constructor(options?: DecisionTreeOptions);
    train(trainingSet: number[][], trainingLabels: number[]): void;
    predict(toPredict: number[][]): number[];
    toJSON(): { name: 'DTClassifier'; options: unknown; root: unknown };
    static load(model: unknown): DecisionTreeClassifier;
  }
}
