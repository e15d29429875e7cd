import Gauges

extension CatalogueLoader {
    /// The keys of an area entry (`areas:`), in the order the bundled file writes them.
    public static let areaKeys = [
        "id", "name", "kind", "code", "formerly", "lat", "lon", "approximate", "boundary", "landslide_risk",
    ]
    /// The zones (khu vực) of Decision 18/2021/QĐ-TTg: `risk_zone` and a station's `flood_zone`.
    public static let riskZones = 1...4
}

extension CatalogueReader {
    /// The communes and wards of `areas:`; nil when the list could not be read (stations' `area` are then not
    /// checked against it).
    func readAreas(_ value: YAMLValue) -> [Area]? {
        guard let list = value.sequence() else { return nil }
        var firstLineOfID: [String: Int] = [:]
        var areas: [Area] = []
        var complete = true
        for (index, item) in list.enumerated() {
            if let area = readArea(item.named("area \(index + 1)"), number: index + 1, firstLineOfID: &firstLineOfID) {
                areas.append(area)
            } else {
                complete = false
            }
        }
        return complete ? areas : nil
    }

    private func readArea(_ item: YAMLValue, number: Int, firstLineOfID: inout [String: Int]) -> Area? {
        guard var area = item.mapping() else { return nil }
        area.context = "area \(number)"
        var id: String?
        if let idValue = area.required("id", fix: "add 'id: …', e.g. 'id: tra-lien'"),
            let text = idValue.named("the id").text()
        {
            if Self.isValidID(text) {
                if let first = firstLineOfID[text] {
                    idValue.within(nil).report(
                        "area id '\(text)' is used twice; the first area with it is at line \(first)",
                        fix: "give each area its own id")
                } else {
                    firstLineOfID[text] = idValue.line ?? 0
                    id = text
                }
                area.context = "area '\(text)'"
            } else {
                var fix = "use 1 to 63 lowercase letters a-z, digits and '-', starting with a letter or digit"
                if let suggestion = Self.suggestedID(for: text) { fix += ", e.g. '\(suggestion)'" }
                idValue.report("id '\(YAMLValue.shortened(text))' is not a valid area id", fix: fix)
            }
        }
        area.checkKeys(CatalogueLoader.areaKeys)
        let name = area.required(
            "name", fix: "add 'name: …', the commune's name with diacritics, e.g. 'name: Trà Liên'")?
            .text(example: "name: Trà Liên")

        var kind: Area.Kind?
        let kinds = Area.Kind.allCases.map(\.rawValue)
        if let kindValue = area.required("kind", fix: "add 'kind: xã' (or phường, thị trấn)"),
            let text = kindValue.text(example: "kind: xã")
        {
            kind = Area.Kind(rawValue: text)
            if kind == nil {
                kindValue.report(
                    "'kind' must be xã, phường or thị trấn, found '\(YAMLValue.shortened(text))'",
                    fix: YAMLMapping.unknownFix(text, known: kinds, kind: "kinds"))
            }
        }

        var formerly: [String] = []
        var formerlyComplete = true
        if let formerlyValue = area.optional("formerly") {
            if let items = formerlyValue.sequence() {
                for item in items {
                    if let text = item.text(example: "thị trấn Trà My") {
                        formerly.append(text)
                    } else {
                        formerlyComplete = false
                    }
                }
            } else {
                formerlyComplete = false
            }
        }

        // The centre where a source gives one: both or neither.
        var centre: Coordinate?
        var centreComplete = true
        if area.optional("lat") != nil || area.optional("lon") != nil {
            let latitude = coordinate(area, key: "lat", limit: 90, example: "15.30", words: "latitude of its centre")
            let longitude = coordinate(
                area, key: "lon", limit: 180, example: "108.20", words: "longitude of its centre")
            if let latitude, let longitude {
                centre = Coordinate(latitude: latitude, longitude: longitude)
            } else {
                centreComplete = false
            }
        }
        let approximate = flag(area, key: "approximate")

        var boundary: [Coordinate]?
        var boundaryComplete = true
        if let boundaryValue = area.optional("boundary") {
            boundary = readBoundary(boundaryValue)
            boundaryComplete = boundary != nil
        }

        var landslideRisk: Area.LandslideRisk?
        var riskComplete = true
        if let riskValue = area.optional("landslide_risk"), let text = riskValue.text(example: "landslide_risk: high") {
            landslideRisk = Area.LandslideRisk(rawValue: text)
            if landslideRisk == nil {
                riskComplete = false
                let known = Area.LandslideRisk.allCases.map(\.rawValue)
                riskValue.report(
                    "'landslide_risk' must be low, medium, high or very_high (the commune's zone on the flash-flood "
                        + "and landslide risk map), found '\(YAMLValue.shortened(text))'",
                    fix: YAMLMapping.unknownFix(text, known: known, kind: "zones")
                        + "; leave it out where no map gives the zone")
            }
        }

        var code: String?
        var codeComplete = true
        if let codeValue = area.optional("code"), let text = codeValue.text(example: "code: \"20xxx\"") {
            if !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) {
                code = text
            } else {
                codeComplete = false
                codeValue.report(
                    "'code' must be the commune's administrative unit code (mã đơn vị hành chính), digits only, "
                        + "found '\(YAMLValue.shortened(text))'",
                    fix: "write the code in quotes, e.g. code: \"20650\", or leave it out where no source gives it")
            }
        }

        guard let id, let name, let kind, let approximate, centreComplete, formerlyComplete, boundaryComplete,
            riskComplete, codeComplete
        else { return nil }
        return Area(
            id: id, name: name, kind: kind, code: code, formerly: formerly, centre: centre, approximate: approximate,
            boundary: boundary, landslideRisk: landslideRisk)
    }

    /// `[[lat, lon], …]`: at least three points, each inside WGS 84's bounds.
    private func readBoundary(_ value: YAMLValue) -> [Coordinate]? {
        guard let items = value.sequence() else { return nil }
        guard items.count >= 3 else {
            value.report(
                "'boundary' needs at least 3 points, found \(items.count)",
                fix: "list the boundary's points as [lat, lon] pairs, or leave 'boundary' out (the centre is used)")
            return nil
        }
        var points: [Coordinate] = []
        for item in items {
            guard let pair = item.sequence() else { return nil }
            guard pair.count == 2, let latitude = pair[0].number(example: "15.30"),
                let longitude = pair[1].number(example: "108.20")
            else {
                if pair.count != 2 {
                    item.report(
                        "a boundary point must be [lat, lon], found \(pair.count) values",
                        fix: "write each point as [latitude, longitude] in decimal degrees, e.g. [15.30, 108.20]")
                }
                return nil
            }
            guard (-90...90).contains(latitude), (-180...180).contains(longitude) else {
                item.report(
                    "boundary point [\(Self.plain(latitude)), \(Self.plain(longitude))] is outside the map",
                    fix: "write [latitude, longitude], latitude first, in decimal degrees (WGS 84)")
                return nil
            }
            points.append(Coordinate(latitude: latitude, longitude: longitude))
        }
        return points
    }

    /// A zone of Decision 18/2021/QĐ-TTg (khu vực 1–4), e.g. `risk_zone`, `flood_zone`.
    func zone(_ value: YAMLValue, what: String) -> Int? {
        guard let number = value.integer(example: "3") else { return nil }
        guard CatalogueLoader.riskZones.contains(number) else {
            value.report(
                "\(value.name) must be a zone (khu vực) from 1 to 4, found \(number)",
                fix: "write \(what) as Decision 18/2021/QĐ-TTg lists it, 1 to 4")
            return nil
        }
        return number
    }

    /// An optional `true`/`false` (also `on`/`off`); false when absent, nil when written wrong (reported).
    func flag(_ mapping: YAMLMapping, key: String) -> Bool? {
        guard let value = mapping.optional(key) else { return false }
        if let flag = RulesReader.flag(value) { return flag }
        value.report(
            "'\(key)' must be true or false, found \(value.found)", fix: "write '\(key): true' or leave it out")
        return nil
    }
}
