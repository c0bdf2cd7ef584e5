/// Hands a caller the pairs of one top-level mapping while the document is still being read,
/// so that it can start work on them early. The tree is built exactly as without it.
public struct YAMLWatch {
    /// Asked when the value of the top-level key `key` starts a mapping, with the top-level
    /// pairs read before it; true to be handed that mapping's pairs.
    public var begins: (_ key: String, _ before: [YAMLPair]) -> Bool
    /// One pair of the watched mapping, in document order, as read: a duplicate key is passed
    /// too (the tree keeps the first), and merge keys (`<<`) are not applied.
    public var pair: (YAMLPair) -> Void

    public init(begins: @escaping (_ key: String, _ before: [YAMLPair]) -> Bool, pair: @escaping (YAMLPair) -> Void) {
        self.begins = begins
        self.pair = pair
    }
}
