import Foundation
import NIOCore
import NIOPosix
import Vapor

/// Reads the configuration, sets up logging and runs the command line (serve, migrate, demo).
public enum Navigator {
    public static func main() async throws {
        let env = try Environment.detect()
        let config: AppConfig
        do {
            config = try AppConfig.load(from: ProcessInfo.processInfo.environment)
        } catch let invalid as AppConfig.Invalid {
            FileHandle.standardError.write(Data((invalid.description + "\n").utf8))
            exit(78)
        }
        // Swift's tasks run on the event loops that serve the connections: a request no longer hops from an
        // event loop to the concurrency pool and back (NIO_EXECUTOR=false keeps Swift's own executor).
        if config.usesNIOExecutor {
            _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        AppLogging.bootstrap(config)
        let app = try await Application.make(env)
        if let root = locateResources() {
            app.directory = DirectoryConfiguration(workingDirectory: root)
        }
        do {
            try await configure(app, config: config)
            try await app.execute()
        } catch let code as ExitCode {
            try await app.asyncShutdown()
            exit(code.code)
        } catch let usage as CommandError {
            // A command line it cannot read: say so, never a crash report.
            FileHandle.standardError.write(Data("Не удалось разобрать командную строку: \(usage). Справка: navigator --help, navigator <команда> --help.\n".utf8))
            try? await app.asyncShutdown()
            exit(64)
        } catch {
            FileHandle.standardError.write(Data("Ошибка: \(error)\n".utf8))
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }

    /// The folder holding `Resources/Views` and `Public`: the working directory, or else the nearest
    /// ancestor of the executable that has them (so `.build/debug/navigator` works from anywhere).
    static func locateResources() -> String? {
        let fm = FileManager.default
        func has(_ dir: String) -> Bool { fm.fileExists(atPath: dir + "/Resources/Views/layout.leaf") }
        if has(fm.currentDirectoryPath) { return nil }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            if has(dir.path) { return dir.path + "/" }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}
