import Domain
import Vapor

/// What the base layout needs on every page.
struct LayoutContext: Encodable, Sendable {
    struct NavItem: Encodable, Sendable {
        let title: String
        let href: String
        let current: Bool
    }

    struct UserBadge: Encodable, Sendable {
        let name: String
        let roleTitle: String
    }

    let title: String
    let csrf: String
    let a11y: Bool
    let currentPath: String
    let nav: [NavItem]
    let user: UserBadge?
    let logoutURL: String
    let passwordURL: String
    let accessibilityURL: String
    let loginURL: String

    static let a11yCookie = "nav_a11y"

    static func cabinetTitle(_ role: Role) -> String {
        switch role {
        case .operator_: "Кабинет оператора"
        case .municipality: "Кабинет муниципалитета"
        case .provider: "Кабинет поставщика"
        case .parent: "Кабинет родителя"
        case .monitor: "Кабинет наблюдателя"
        }
    }

    /// Pure: the layout of a page for a user (or a guest) at `path`.
    static func build(title: String, path: String, user: AuthenticatedUser?, csrf: String, a11y: Bool) -> LayoutContext {
        var items: [(String, String)] = [("Главная", SiteRoute.home.url), ("Каталог программ", SiteRoute.catalog(query: nil).url)]
        if let user {
            items.append((cabinetTitle(user.principal.role), SiteRoute.cabinet(user.principal.role).url))
        }
        let nav = items.map { item in
            NavItem(title: item.0, href: item.1,
                    current: item.1 == "/" ? path == "/" : (path == item.1 || path.hasPrefix(item.1 + "/")))
        }
        return LayoutContext(
            title: title, csrf: csrf, a11y: a11y, currentPath: path, nav: nav,
            user: user.map { UserBadge(name: $0.displayName, roleTitle: $0.principal.role.title) },
            logoutURL: SiteRoute.logout.url, passwordURL: SiteRoute.password.url,
            accessibilityURL: SiteRoute.accessibility.url, loginURL: SiteRoute.login(next: nil).url)
    }
}

extension Request {
    var a11yMode: Bool { cookies[LayoutContext.a11yCookie]?.string == "1" }

    func layout(_ title: String) -> LayoutContext {
        LayoutContext.build(title: title, path: url.path, user: user, csrf: CSRFMiddleware.token(self), a11y: a11yMode)
    }
}

/// Generic pieces of a page: facts (a definition list) and tables.
struct Fact: Encodable, Sendable {
    let label: String
    let value: String
}

struct Cell: Encodable, Sendable {
    let text: String
    let href: String?

    init(_ text: String, href: String? = nil) {
        self.text = text
        self.href = href
    }
}

struct Table: Encodable, Sendable {
    let caption: String
    let headers: [String]
    let rows: [[Cell]]
    let empty: String
    let note: String?

    init(caption: String, headers: [String], rows: [[Cell]], empty: String = "Нет записей.", note: String? = nil) {
        self.caption = caption
        self.headers = headers
        self.rows = rows
        self.empty = empty
        self.note = note
    }
}

struct Section: Encodable, Sendable {
    let heading: String
    let text: String?
    let facts: [Fact]
    let tables: [Table]

    init(heading: String, text: String? = nil, facts: [Fact] = [], tables: [Table] = []) {
        self.heading = heading
        self.text = text
        self.facts = facts
        self.tables = tables
    }
}
