import ArgumentParser
import MklnkCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Mklnk {
    /// Runs mklnk. A usage error (exit 64) is found before any command runs; with `--json` it
    /// still gets its one document on stdout, as every other outcome does.
    public static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let options = arguments.prefix { $0 != "--" }
            if code.rawValue == Exit.usage.rawValue && options.contains("--json") {
                var report = Report()
                report.diagnostics.error(message(for: error), at: nil)
                let document = JSONRenderer.document(report, exit: code.rawValue, workingDirectory: "/") + "\n"
                _ = document.withCString { write(1, $0, strlen($0)) }
            }
            exit(withError: error)
        }
    }
}
