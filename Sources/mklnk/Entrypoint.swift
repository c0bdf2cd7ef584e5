import MklnkCLI

@main
enum Entrypoint {
    static func main() {
        Mklnk.main()
    }
}
