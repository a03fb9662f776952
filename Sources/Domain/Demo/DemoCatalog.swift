import Foundation

/// Programs of the demo: a curated set for the demo providers (all six directions, every funding kind,
/// programs in each registry status) and any number of generated ones (`navigator demo --programs N`,
/// the search benchmark). Deterministic: the same index and seed give the same program.
public enum DemoCatalog {
    public struct Module: Sendable, Hashable {
        public let name: String
        public let months: Int
        public let hours: Int
        public let minChildren: Int
        public let maxChildren: Int
        public let price: Int64
        public let normative: Int64?
    }

    public struct Group: Sendable, Hashable {
        public let module: Int
        public let name: String
        public let teacher: String
        public let address: String
        public let startsOn: LocalDate
        public let endsOn: LocalDate
        public let capacity: Int
        public let schedule: [ScheduleSlot]
    }

    public struct Program: Sendable, Hashable {
        public let providerIndex: Int
        public let name: String
        public let annotation: String
        public let direction: Direction
        public let activityKinds: [String]
        public let level: ProgramLevel
        public let form: StudyForm
        public let ageFrom: Int
        public let ageTo: Int
        public let disabilities: [DisabilityCategory]
        public let funding: FundingKind
        public let status: ProgramStatus
        public let modules: [Module]
        public let groups: [Group]
    }

    /// Names and the subject (in the instrumental case, for «занятия …») of each activity kind.
    static let kinds: [String: (names: [String], subject: String)] = [
        "robotics": (["Робототехника", "Робототехника для начинающих", "Инженерная робототехника", "Лего-конструирование и робототехника"], "робототехникой, конструированием и программированием роботов"),
        "programming": (["Программирование на Python", "Основы программирования", "Юный программист", "Scratch: первые программы"], "программированием, алгоритмами и созданием собственных игр"),
        "modeling": (["Техническое моделирование", "Начальное техническое моделирование", "Судомоделирование"], "моделированием, черчением и работой с инструментами"),
        "3d": (["3D-моделирование", "3D-печать и прототипирование", "Компьютерная графика и 3D"], "трёхмерным моделированием и печатью на 3D-принтере"),
        "electronics": (["Радиоэлектроника", "Электроника и Arduino", "Юный радиолюбитель"], "электроникой, пайкой и сборкой схем"),
        "aviamodeling": (["Авиамоделирование", "Авиамодельный кружок", "Кордовые модели самолётов"], "постройкой и запуском моделей самолётов"),
        "drones": (["Беспилотные летательные аппараты", "Пилотирование квадрокоптеров", "Дроны: сборка и полёты"], "сборкой и пилотированием квадрокоптеров"),
        "ecology": (["Юный эколог", "Экология родного края", "Экологическая лаборатория"], "экологией, наблюдениями за природой и охраной окружающей среды"),
        "biology": (["Юный биолог", "Удивительный мир растений", "Зоология: мир животных"], "биологией, растениями и животными"),
        "chemistry": (["Занимательная химия", "Химическая лаборатория", "Химия вокруг нас"], "химическими опытами и лабораторными работами"),
        "physics": (["Занимательная физика", "Физика в экспериментах", "Юный исследователь"], "физическими опытами и исследованиями"),
        "astronomy": (["Астрономия", "Тайны звёздного неба", "Юный астроном"], "астрономией и наблюдениями звёздного неба"),
        "math": (["Олимпиадная математика", "Математика для любознательных", "Логика и математика"], "математикой, логическими задачами и олимпиадами"),
        "football": (["Футбол", "Мини-футбол", "Футбольная секция"], "футболом и общей физической подготовкой"),
        "volleyball": (["Волейбол", "Секция волейбола", "Пионербол и волейбол"], "волейболом и общей физической подготовкой"),
        "basketball": (["Баскетбол", "Стритбол", "Секция баскетбола"], "баскетболом и командной игрой"),
        "swimming": (["Плавание", "Обучение плаванию", "Спортивное плавание"], "плаванием в бассейне"),
        "chess": (["Шахматы", "Шахматная школа", "Шахматы для начинающих", "Шахматная гостиная"], "шахматами, тактикой и стратегией игры"),
        "wrestling": (["Вольная борьба", "Самбо", "Дзюдо"], "борьбой и самообороной"),
        "athletics": (["Лёгкая атлетика", "Бег и прыжки", "Школа бега"], "лёгкой атлетикой: бегом, прыжками и метаниями"),
        "skiing": (["Лыжные гонки", "Лыжная подготовка", "Лыжи и биатлон"], "лыжными гонками"),
        "gymnastics": (["Художественная гимнастика", "Спортивная гимнастика", "Акробатика"], "гимнастикой и акробатикой"),
        "hockey": (["Хоккей", "Хоккей с шайбой", "Юный хоккеист"], "хоккеем и катанием на коньках"),
        "tennis": (["Настольный теннис", "Теннис для начинающих", "Секция настольного тенниса"], "настольным теннисом"),
        "choreography": (["Хореография", "Народный танец", "Современный танец", "Хореографическая студия «Радуга»"], "хореографией, классическим и народным танцем"),
        "vocal": (["Вокал", "Эстрадный вокал", "Вокальная студия", "Хоровое пение"], "вокалом, постановкой голоса и сценическим движением"),
        "painting": (["Изобразительное искусство", "Живопись и рисунок", "Рисование акварелью", "Художественная студия"], "рисунком, живописью и композицией"),
        "theatre": (["Театральная студия", "Театр кукол", "Актёрское мастерство"], "актёрским мастерством, сценической речью и постановкой спектаклей"),
        "music": (["Гитара", "Фортепиано для начинающих", "Ансамбль народных инструментов"], "музыкой и игрой на инструментах"),
        "crafts": (["Декоративно-прикладное творчество", "Бисероплетение", "Резьба по дереву", "Мягкая игрушка"], "декоративно-прикладным творчеством и ремёслами"),
        "photo": (["Фотостудия", "Видеомонтаж", "Мобильная фотография"], "фотографией, съёмкой и монтажом видео"),
        "design": (["Дизайн", "Дизайн одежды", "Графический дизайн"], "дизайном и композицией"),
        "hiking": (["Спортивный туризм", "Юный турист", "Пешеходный туризм"], "туризмом, походами и ориентированием на местности"),
        "local-history": (["Краеведение", "Моя малая родина", "История Кузбасса"], "краеведением и историей родного края"),
        "orienteering": (["Спортивное ориентирование", "Ориентирование на местности", "Азимут"], "спортивным ориентированием по карте и компасу"),
        "museum": (["Школьный музей", "Музейное дело", "Юный экскурсовод"], "музейным делом и проведением экскурсий"),
        "languages": (["Английский язык", "Английский для начинающих", "Немецкий язык", "Китайский язык"], "иностранным языком, разговорной практикой"),
        "journalism": (["Юный журналист", "Школьное медиа", "Детская телестудия"], "журналистикой, созданием газеты и видеосюжетов"),
        "leadership": (["Школа вожатых", "Волонтёры", "Лидеры будущего"], "волонтёрством и организацией событий"),
        "preschool": (["Подготовка к школе", "Скоро в школу", "Школа раннего развития"], "подготовкой к школе: чтением, счётом и развитием речи"),
        "psychology": (["Психология общения", "Я и другие", "Тренинг уверенности"], "психологией общения и работой в команде"),
        "finance": (["Финансовая грамотность", "Юный экономист", "Деньги и я"], "финансовой грамотностью и основами экономики"),
        "patriotic": (["Юнармия", "Военно-патриотический клуб", "Юный спасатель"], "военно-патриотической подготовкой и основами безопасности"),
    ]

    static let teachers = ["Иванова Ольга Петровна", "Смирнов Алексей Викторович", "Кузнецова Марина Сергеевна", "Попов Дмитрий Андреевич",
                           "Васильева Елена Николаевна", "Морозова Татьяна Ивановна", "Новиков Сергей Павлович", "Фёдорова Ирина Александровна",
                           "Волков Андрей Михайлович", "Соколова Анна Викторовна", "Лебедева Наталья Юрьевна", "Козлов Игорь Владимирович"]

    /// A school year's group: 1 September … 31 May of the school year `today` falls in.
    static func schoolYear(_ today: LocalDate) -> (LocalDate, LocalDate) {
        let y = today.month >= 6 ? today.year : today.year - 1
        return (LocalDate(year: y, month: 9, day: 1)!, LocalDate(year: y + 1, month: 5, day: 31)!)
    }

    static func annotation(name: String, kind: String, ageFrom: Int, ageTo: Int, funding: FundingKind, level: ProgramLevel) -> String {
        let subject = kinds[kind]?.subject ?? "творчеством"
        let money: String
        switch funding {
        case .certificate: money = "Обучение оплачивается сертификатом дополнительного образования."
        case .free: money = "Обучение бесплатное."
        case .paid: money = "Обучение платное."
        }
        return "Программа «\(name)» (\(level.title) уровень) для детей \(ageFrom / 12)–\(ageTo / 12) лет: занятия \(subject). "
            + "Дети работают в небольших группах, участвуют в конкурсах и соревнованиях, готовят итоговые проекты. \(money)"
    }

    /// One generated program; `providers` are (index, region, municipality address) of the approved demo providers.
    public static func generated(_ i: Int, seed: UInt64, providers: [(index: Int, address: String)], today: LocalDate) -> Program {
        var rng = SeededRandom(seed: seed, stream: 0x5EED_0000 &+ UInt64(i))
        let kind = ActivityKinds.all[Int.random(in: 0..<ActivityKinds.all.count, using: &rng)]
        let names = kinds[kind.code]!.names
        var name = rng.pick(names)
        let suffixes = ["", "", " (стартовый курс)", " — второй год", " для младших школьников", " для подростков", " «Успех»", " «Горизонт»"]
        name += rng.pick(suffixes)
        let level = rng.pick(ProgramLevel.allCases)
        let from = Int.random(in: 5...12, using: &rng)
        let to = min(17, from + Int.random(in: 2...6, using: &rng))
        let funding: FundingKind = [FundingKind.certificate, .certificate, .certificate, .free, .paid][Int.random(in: 0..<5, using: &rng)]
        let provider = providers[Int.random(in: 0..<providers.count, using: &rng)]
        let (start, end) = schoolYear(today)
        let monthly = Int64(Int.random(in: 10...40, using: &rng)) * 10_000
        let normative = funding == .certificate ? monthly * 9 : nil
        let price = funding == .free ? 0 : monthly * 9 * Int64(Int.random(in: 90...110, using: &rng)) / 100
        let module = Module(name: "Модуль 1", months: 9, hours: [72, 108, 144][Int.random(in: 0..<3, using: &rng)], minChildren: 5,
                            maxChildren: 15, price: funding == .certificate ? min(price, normative!) : price, normative: normative)
        var groups: [Group] = []
        for g in 0..<Int.random(in: 1...3, using: &rng) {
            let day1 = Int.random(in: 1...5, using: &rng)
            let hour = Int.random(in: 9...18, using: &rng)
            groups.append(Group(module: 0, name: "Группа \(g + 1)", teacher: rng.pick(teachers), address: provider.address,
                                startsOn: start, endsOn: end, capacity: Int.random(in: 8...15, using: &rng),
                                schedule: [ScheduleSlot(day: day1, start: hour * 60, end: hour * 60 + 90),
                                           ScheduleSlot(day: day1 + 2, start: hour * 60, end: hour * 60 + 90)]))
        }
        let dis: [DisabilityCategory] = Int.random(in: 0..<5, using: &rng) == 0 ? [rng.pick(DisabilityCategory.allCases)] : []
        return Program(providerIndex: provider.index, name: name,
                       annotation: annotation(name: name, kind: kind.code, ageFrom: from * 12, ageTo: to * 12 + 11, funding: funding, level: level),
                       direction: kind.direction, activityKinds: [kind.code], level: level, form: .fullTime, ageFrom: from * 12, ageTo: to * 12 + 11,
                       disabilities: dis, funding: funding, status: .certified, modules: [module], groups: groups)
    }

    /// The curated programs of the demo providers (indices into `DemoPlan.providers`).
    public static func curated(today: LocalDate, addresses: [Int: String]) -> [Program] {
        let (start, end) = schoolYear(today)
        let second = LocalDate(year: start.year + 1, month: 1, day: 12)!
        func p(_ provider: Int, _ kind: String, _ name: String, _ level: ProgramLevel, _ ages: ClosedRange<Int>, _ funding: FundingKind,
               monthly: Int64, status: ProgramStatus = .certified, dis: [DisabilityCategory] = [], groups: [(String, [ScheduleSlot], Int)],
               secondModule: Bool = false) -> Program {
            let k = ActivityKinds.find(kind)!
            let normative: Int64? = funding == .certificate ? monthly * 9 : nil
            var modules = [Module(name: secondModule ? "Первый год обучения" : "Основной модуль", months: 9, hours: 144, minChildren: 6,
                                  maxChildren: 15, price: funding == .free ? 0 : monthly * 9, normative: normative)]
            if secondModule {
                modules.append(Module(name: "Второй год обучения", months: 5, hours: 80, minChildren: 6, maxChildren: 12,
                                      price: funding == .free ? 0 : monthly * 5, normative: normative.map { _ in monthly * 5 }))
            }
            var gs: [Group] = []
            for (i, g) in groups.enumerated() {
                let onSecond = secondModule && i == groups.count - 1
                gs.append(Group(module: onSecond ? 1 : 0, name: g.0, teacher: teachers[(provider * 3 + i) % teachers.count],
                                address: addresses[provider] ?? "", startsOn: onSecond ? second : start, endsOn: end, capacity: g.2, schedule: g.1))
            }
            return Program(providerIndex: provider, name: name,
                           annotation: annotation(name: name, kind: kind, ageFrom: ages.lowerBound * 12, ageTo: ages.upperBound * 12 + 11,
                                                  funding: funding, level: level),
                           direction: k.direction, activityKinds: [kind], level: level, form: .fullTime,
                           ageFrom: ages.lowerBound * 12, ageTo: ages.upperBound * 12 + 11, disabilities: dis, funding: funding,
                           status: status, modules: modules, groups: gs)
        }
        func s(_ d: Int, _ h: Int, _ m: Int = 0, _ len: Int = 90) -> ScheduleSlot { ScheduleSlot(day: d, start: h * 60 + m, end: h * 60 + m + len) }
        return [
            // ДДТ Осинники
            p(0, "choreography", "Хореографическая студия «Радуга»", .basic, 7...14, .certificate, monthly: 200_000,
              groups: [("Младшая группа", [s(1, 15), s(3, 15)], 15), ("Старшая группа", [s(2, 17), s(4, 17)], 12)], secondModule: true),
            p(0, "vocal", "Эстрадный вокал", .starting, 7...17, .certificate, monthly: 180_000, groups: [("Группа 1", [s(2, 16), s(5, 16)], 10)]),
            p(0, "crafts", "Бисероплетение", .starting, 7...12, .free, monthly: 0, dis: [.hearing, .speech],
              groups: [("Группа 1", [s(3, 14), s(6, 11)], 12)]),
            p(0, "theatre", "Театральная студия «Маска»", .basic, 9...15, .certificate, monthly: 170_000, status: .certification,
              groups: [("Группа 1", [s(4, 16), s(6, 12)], 14)]),
            p(0, "local-history", "Краеведение: история Осинников", .starting, 10...15, .free, monthly: 0,
              groups: [("Группа 1", [s(5, 15)], 15)]),
            // СЮТ Осинники
            p(1, "robotics", "Робототехника", .starting, 7...12, .certificate, monthly: 220_000,
              groups: [("Группа 1", [s(1, 16), s(4, 16)], 12), ("Группа 2", [s(2, 10), s(5, 10)], 12)]),
            p(1, "aviamodeling", "Авиамоделирование", .basic, 10...17, .certificate, monthly: 190_000, groups: [("Группа 1", [s(3, 17), s(6, 12)], 10)]),
            p(1, "3d", "3D-моделирование и печать", .advanced, 12...17, .certificate, monthly: 240_000, groups: [("Группа 1", [s(2, 18), s(4, 18)], 10)]),
            p(1, "programming", "Основы программирования на Python", .basic, 11...17, .paid, monthly: 300_000,
              groups: [("Группа 1", [s(6, 10, 0, 120)], 12)]),
            // ДЮСШ Осинники
            p(2, "football", "Футбол", .basic, 7...15, .certificate, monthly: 160_000, groups: [("Группа 2014–2015 г. р.", [s(1, 17), s(3, 17), s(5, 17)], 15), ("Группа 2012–2013 г. р.", [s(2, 18), s(4, 18)], 15)]),
            p(2, "chess", "Шахматы", .starting, 6...17, .certificate, monthly: 120_000, dis: [.musculoskeletal, .hearing],
              groups: [("Начинающие", [s(2, 15), s(4, 15)], 12)]),
            p(2, "skiing", "Лыжные гонки", .basic, 9...17, .free, monthly: 0, groups: [("Группа 1", [s(2, 16), s(4, 16), s(6, 11)], 15)]),
            p(2, "volleyball", "Волейбол", .basic, 10...17, .certificate, monthly: 150_000, groups: [("Девушки", [s(1, 18), s(3, 18)], 14)]),
            // Робостарт
            p(3, "robotics", "Инженерная робототехника", .advanced, 10...16, .certificate, monthly: 350_000,
              groups: [("Группа «Профи»", [s(3, 18), s(6, 13)], 8)]),
            p(3, "robotics", "Лего-конструирование для дошкольников", .starting, 5...7, .paid, monthly: 280_000,
              groups: [("Группа выходного дня", [s(6, 10, 0, 60)], 8)]),
            p(3, "drones", "Пилотирование квадрокоптеров", .basic, 11...17, .certificate, monthly: 330_000, status: .draft,
              groups: [("Группа 1", [s(5, 17)], 8)]),
            // Акварель
            p(4, "painting", "Рисование акварелью", .starting, 6...12, .certificate, monthly: 250_000, dis: [.autism, .mental],
              groups: [("Группа 1", [s(2, 16), s(4, 16)], 8)]),
            p(4, "painting", "Живопись и рисунок для подростков", .basic, 12...17, .paid, monthly: 300_000, groups: [("Группа 1", [s(6, 12, 0, 120)], 8)]),
            // Дворец творчества, Новокузнецк
            p(5, "programming", "Юный программист: Scratch", .starting, 8...11, .certificate, monthly: 210_000, groups: [("Группа 1", [s(1, 15), s(3, 15)], 12)]),
            p(5, "languages", "Английский язык для начинающих", .starting, 7...10, .certificate, monthly: 230_000, groups: [("Группа 1", [s(2, 14), s(4, 14)], 10)]),
            p(5, "journalism", "Детская телестудия «Кадр»", .basic, 12...17, .free, monthly: 0, groups: [("Группа 1", [s(5, 16, 0, 120)], 12)]),
            p(5, "ecology", "Юный эколог", .starting, 8...12, .certificate, monthly: 150_000, groups: [("Группа 1", [s(3, 14)], 15)]),
            // Центр туризма, Кемерово
            p(6, "hiking", "Спортивный туризм", .basic, 10...17, .certificate, monthly: 140_000, groups: [("Группа 1", [s(2, 16), s(6, 10, 0, 180)], 15)]),
            p(6, "orienteering", "Спортивное ориентирование", .starting, 9...15, .free, monthly: 0, groups: [("Группа 1", [s(4, 16)], 15)]),
            // ДДТ Барнаул
            p(7, "choreography", "Народный танец", .basic, 7...15, .certificate, monthly: 170_000, groups: [("Группа 1", [s(1, 16), s(4, 16)], 14)]),
            p(7, "finance", "Финансовая грамотность", .starting, 11...15, .certificate, monthly: 110_000, groups: [("Группа 1", [s(3, 15)], 15)]),
            p(7, "patriotic", "Юнармия", .basic, 12...17, .free, monthly: 0, groups: [("Отряд 1", [s(6, 11, 0, 120)], 15)]),
            // Ладья, Барнаул
            p(8, "chess", "Шахматная школа «Ладья»", .basic, 6...17, .certificate, monthly: 200_000, groups: [("Начинающие", [s(2, 17), s(5, 17)], 10), ("Разрядники", [s(6, 12, 0, 120)], 8)]),
            // СЮН Бийск
            p(9, "biology", "Удивительный мир растений", .starting, 8...12, .certificate, monthly: 130_000, groups: [("Группа 1", [s(2, 15), s(4, 15)], 12)]),
            p(9, "chemistry", "Занимательная химия", .basic, 12...16, .certificate, monthly: 160_000, groups: [("Группа 1", [s(3, 16)], 12)]),
        ]
    }
}
