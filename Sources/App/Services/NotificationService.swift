import Fluent
import Foundation
import Vapor

/// What a notification is about (stored with it).
enum NotificationKind: String, Sendable, Codable, CaseIterable {
    case certificateApplied = "certificate-applied"
    case certificateConfirmed = "certificate-confirmed"
    case certificateRejected = "certificate-rejected"
    case financingGranted = "financing-granted"
    case returnWarning = "return-warning"
    case returnedToAccounting = "returned-to-accounting"
    case periodGranted = "period-granted"
    case applicationReceived = "application-received"
    case applicationSent = "application-sent"
    case offerReceived = "offer-received"
    case applicationRejected = "application-rejected"
    case applicationWithdrawn = "application-withdrawn"
    case applicationExpired = "application-expired"
    case contractActive = "contract-active"
    case contractNotice = "contract-notice"
    case waitlistDropped = "waitlist-dropped"
    case agreement = "agreement"
    case prolongation = "prolongation"
    case invoice = "invoice"
    case dispute = "dispute"
}

/// Notifications shown in the cabinets, with unread marks. A dedupe key makes a notice appear once.
struct NotificationService: Sendable {
    let clock: AppClock

    typealias Kind = NotificationKind

    /// Whether a notification was created (false when its dedupe key was used before).
    @discardableResult
    func notify(_ userID: UUID, _ kind: Kind, _ text: String, link: String? = nil, dedupe: String? = nil, on db: any Database) async throws -> Bool {
        if let dedupe, try await NotificationModel.query(on: db).filter(\.$dedupeKey == dedupe).first() != nil { return false }
        let n = NotificationModel()
        n.userID = userID
        n.kind = kind
        n.text = text
        n.link = link
        n.dedupeKey = dedupe
        n.createdAt = clock.now()
        try await n.create(on: db)
        return true
    }

    func list(_ userID: UUID, on db: any Database) async throws -> [NotificationModel] {
        try await NotificationModel.query(on: db).filter(\.$userID == userID).sort(\.$createdAt, .descending).limit(200).all()
    }

    func unreadCount(_ userID: UUID, on db: any Database) async throws -> Int {
        try await NotificationModel.query(on: db).filter(\.$userID == userID).filter(\.$readAt == nil).count()
    }

    func markAllRead(_ userID: UUID, on db: any Database) async throws {
        try await NotificationModel.query(on: db).filter(\.$userID == userID).filter(\.$readAt == nil)
            .set(\.$readAt, to: clock.now()).update()
    }
}

extension Application {
    var notifications: NotificationService { NotificationService(clock: clock) }
}
