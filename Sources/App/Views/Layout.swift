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
            let p = user.principal
            items.append((cabinetTitle(p.role), SiteRoute.cabinet(p.role).url))
            switch p.role {
            case .parent:
                items.append(("Заявки и договоры", SiteRoute.familyApplications.url))
                items.append(("Уведомления", SiteRoute.familyNotifications.url))
            case .municipality:
                items.append(("Программа ПФДО", SiteRoute.program.url))
                items.append(("Соглашения", SiteRoute.agreements.url))
                items.append(("Оплата", SiteRoute.municipalityPayments.url))
                items.append(("Договоры", SiteRoute.contracts.url))
                items.append(("Сертификаты", SiteRoute.certificates(query: nil).url))
                items.append(("Реестр программ", SiteRoute.registryPrograms.url))
            case .provider:
                items.append(("Программы", SiteRoute.providerPrograms.url))
                items.append(("Заявки", SiteRoute.providerApplications.url))
                items.append(("Оплата", SiteRoute.providerPayments.url))
                if p.mayConfirmCertificates { items.append(("Сертификаты", SiteRoute.certificates(query: nil).url)) }
            case .operator_, .monitor:
                items.append(("Реестр программ", SiteRoute.registryPrograms.url))
                items.append(("Договоры", SiteRoute.contracts.url))
            }
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
        LayoutContext.build(title: title, path: routePath, user: user, csrf: CSRFMiddleware.token(self), a11y: a11yMode)
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
    let forms: [FormBlock]
    let links: [Cell]

    init(heading: String, text: String? = nil, facts: [Fact] = [], tables: [Table] = [], forms: [FormBlock] = [],
         links: [Cell] = []) {
        self.heading = heading
        self.text = text
        self.facts = facts
        self.tables = tables
        self.forms = forms
        self.links = links
    }
}

/// A form on a page: labelled fields, hidden values, a submit button. The CSRF token is added by the template.
struct FormBlock: Encodable, Sendable {
    struct Option: Encodable, Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Field: Encodable, Sendable {
        let id: String
        let name: String
        let label: String
        let type: String
        let value: String
        let hint: String?
        let error: String?
        let required: Bool
        let options: [Option]
        let checked: Bool
        let autocomplete: String?

        init(_ name: String, _ label: String, type: String = "text", value: String = "", hint: String? = nil,
             required: Bool = false, options: [Option] = [], checked: Bool = false, autocomplete: String? = nil,
             errors: [FieldError] = [], formID: String = "") {
            self.id = (formID.isEmpty ? "" : formID + "-") + name
            self.name = name
            self.label = label
            self.type = type
            self.value = value
            self.hint = hint
            self.error = errors.first { $0.field == name }?.message
            self.required = required
            self.options = options
            self.checked = checked
            self.autocomplete = autocomplete
        }
    }

    /// Options of a select over an enumeration, with «— выберите —» first.
    static func choices<T: RawRepresentable & CaseIterable>(_ all: T.AllCases, _ title: (T) -> String, _ selected: String?) -> [Option]
        where T.RawValue == String {
        [.init(value: "", label: "— выберите —", selected: selected == nil || selected == "")] +
            all.map { .init(value: $0.rawValue, label: title($0), selected: selected == $0.rawValue) }
    }

    struct Hidden: Encodable, Sendable {
        let name: String
        let value: String
    }

    let id: String
    let action: String
    let heading: String?
    let fields: [Field]
    let hidden: [Hidden]
    let submit: String
    let danger: Bool
    let method: String
    /// A form with a file field is sent as multipart/form-data.
    let multipart: Bool

    init(id: String, action: String, heading: String? = nil, fields: [Field] = [], hidden: [Hidden] = [],
         submit: String, danger: Bool = false, method: String = "post") {
        self.id = id
        self.action = action
        self.heading = heading
        self.fields = fields
        self.hidden = hidden
        self.submit = submit
        self.danger = danger
        self.method = method
        self.multipart = fields.contains { $0.type == "file" }
    }
}
