import Foundation
import Vapor

/// Reads the configuration, sets up logging and runs the command line (serve, migrate, demo).
public enum Navigator {
    public static func main() async throws {
        var env = try Environment.detect()
        let config: AppConfig
        do {
            config = try AppConfig.load(from: ProcessInfo.processInfo.environment)
        } catch let invalid as AppConfig.Invalid {
            FileHandle.standardError.write(Data((invalid.description + "\n").utf8))
            exit(78)
        }
        AppLogging.bootstrap(config)
        env.commandInput.arguments = env.commandInput.arguments
        let app = try await Application.make(env)
        do {
            try await configure(app, config: config)
            try await app.execute()
        } catch let code as ExitCode {
            try await app.asyncShutdown()
            exit(code.code)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
