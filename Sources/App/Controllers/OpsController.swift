import Fluent
import Metrics
import Prometheus
import SQLKit
import Vapor

/// Liveness, readiness and metrics.
enum OpsController {
    struct Health: Content {
        let status: String
        var database: String?
    }

    static func healthz(req: Request) async throws -> Health {
        Health(status: "ok")
    }

    static func readyz(req: Request) async throws -> Response {
        do {
            _ = try await req.db.sql.raw("SELECT 1 AS ok").first()
            return try await Health(status: "ok", database: req.application.config.database.kind.rawValue).encodeResponse(for: req)
        } catch {
            req.logger.error("readiness check failed", metadata: ["error": .string(String(describing: error))])
            let res = try await Health(status: "unavailable", database: "unreachable").encodeResponse(for: req)
            res.status = .serviceUnavailable
            return res
        }
    }

    static func metrics(req: Request) async throws -> Response {
        var buffer: [UInt8] = []
        AppMetrics.registry.emit(into: &buffer)
        let res = Response(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"])
        res.body = .init(data: Data(buffer))
        return res
    }
}

/// The process-wide Prometheus registry behind swift-metrics. Bootstrapped once per process.
enum AppMetrics {
    static let registry = PrometheusCollectorRegistry()

    private static let bootstrapOnce: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }()

    static func bootstrap() { _ = bootstrapOnce }
}
