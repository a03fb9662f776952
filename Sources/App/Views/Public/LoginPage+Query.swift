import Domain
import Fluent
import Foundation

extension LoginPage {
    /// The demo's accounts, when a demo run has finished in this database.
    static func query(on db: any Database) async throws -> Model {
        let demo = try await DemoService.loadedLogins(on: db)
        return Model(demoLogins: demo, demoPassword: demo.isEmpty ? nil : DemoPlan.password)
    }
}
