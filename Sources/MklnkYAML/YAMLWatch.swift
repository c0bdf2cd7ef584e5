/// Hands a caller the pairs of one top-level mapping while the document is still being read,
/// so that it can use each at once and the tree need not hold them all.
///
/// The mapping taken (not one with an anchor, which an alias could repeat) is empty in the tree.
/// Its pairs come as the tree would have held them: in document order, a duplicate key reported
/// and left out (the first wins), then the pairs its merge keys (`<<`) add.
public struct YAMLWatch {
    /// Asked when the value of the top-level key `key` (a scalar) starts a mapping, with the
    /// top-level pairs read before it; true to take that mapping's pairs.
    public var begins: (_ key: YAMLNode, _ before: [YAMLPair]) -> Bool
    /// One pair of the taken mapping.
    public var pair: (YAMLPair) -> Void

    public init(begins: @escaping (_ key: YAMLNode, _ before: [YAMLPair]) -> Bool, pair: @escaping (YAMLPair) -> Void) {
        self.begins = begins
        self.pair = pair
    }
}
