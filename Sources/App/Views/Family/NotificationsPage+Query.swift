import Domain
import Fluent
import Foundation

extension NotificationsPage {
    /// The user's notifications, newest first, as they are before this visit marks them read.
    static func query(principal p: Principal, notifications: NotificationService, on db: any Database) async throws -> Model {
        Model(notifications: try await notifications.list(p.userID, on: db), region: p.regionCode)
    }
}
