import Domain
import Vapor

/// A cabinet landing page or a detail page: a heading, a lead and sections.
struct CabinetPage: Encodable, Sendable {
    let layout: LayoutContext
    let heading: String
    let lead: String
    let sections: [Section]
    var errors: [FieldError] = []
    var notice: String? = nil
}

struct ErrorPage: Encodable, Sendable {
    let layout: LayoutContext
    let status: Int
    let heading: String
    let message: String
    let homeURL: String

    /// Pure: the Russian wording of an HTTP status.
    static func wording(_ status: HTTPResponseStatus) -> (String, String) {
        switch status.code {
        case 400: ("Неверный запрос", "Запрос содержит ошибку. Проверьте введённые данные и попробуйте ещё раз.")
        case 401: ("Требуется вход", "Войдите в систему, чтобы открыть эту страницу.")
        case 403: ("Доступ запрещён", "У вашей учётной записи нет прав на эту страницу.")
        case 404: ("Страница не найдена", "Такой страницы нет или она недоступна для вашей учётной записи.")
        case 405: ("Действие недоступно", "Этот адрес не поддерживает такой запрос.")
        case 413: ("Слишком большой запрос", "Отправленные данные слишком велики.")
        case 415: ("Неверный формат", "Данные отправлены в неподдерживаемом формате.")
        case 422: ("Проверьте данные", "Некоторые поля заполнены неверно.")
        case 429: ("Слишком много попыток", "Подождите немного и попробуйте снова.")
        case 500...599: ("Ошибка на сервере", "Что-то пошло не так. Мы уже записали ошибку; попробуйте позже.")
        default: ("Ошибка", "Не удалось выполнить запрос.")
        }
    }
}
