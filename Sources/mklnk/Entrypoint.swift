import CMklnkSys
import MklnkCLI

@main
enum Entrypoint {
    static func main() {
        mklnk_tune_memory()
        Mklnk.main()
    }
}
