import MklnkFileSystem

/// What a read-ahead is told while a plan loads: the root, then each link to one target as the
/// schema works out its paths, then that no more come. It may read those paths ahead; the
/// loader never asks it anything.
public protocol LinkFeed: AnyObject {
    func begin(root: Path)
    func offer(link: Path, target: Path)
    func finish()
}
