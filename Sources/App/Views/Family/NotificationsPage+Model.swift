import Domain
import Foundation

/// The family's notifications (`/family/notifications`); opening the page marks them read.
enum NotificationsPage {
    struct Model: Sendable {
        let notifications: [NotificationModel]
        /// The region whose time zone dates them.
        let region: String
    }

    static func context(_ m: Model, layout: LayoutContext) -> CabinetPage {
        let zone = TimeZone(identifier: ReferenceData.region(code: m.region)?.timeZone ?? "Asia/Novokuznetsk")!
        let rows = m.notifications.map { n -> [Cell] in
            [Cell(LocalDate(n.createdAt, in: zone).russian), Cell(n.readAt == nil ? "новое" : "прочитано"), Cell(n.text, href: n.link)]
        }
        return CabinetPage(layout: layout, heading: "Уведомления", lead: "",
                           sections: [Section(heading: "Все уведомления", tables: [
                               Table(caption: "Уведомления", headers: ["Дата", "Статус", "Текст"], rows: rows, empty: "Уведомлений пока нет."),
                           ])])
    }
}
