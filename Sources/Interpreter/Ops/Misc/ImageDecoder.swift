import ONNX

/// ImageDecoder (version 20): decodes an encoded image (a 1-D uint8 tensor) into a
/// uint8 [H, W, C] tensor, C = 3 for pixel_format RGB / BGR and 1 for Grayscale
/// (ITU-R 601-2 luma, L = (19595 R + 38470 G + 7471 B + 2^15) >> 16, as Pillow's
/// convert("L") computes it).
///
/// Only the uncompressed formats are decoded, by the small readers below: BMP (1, 4,
/// 8-bit palette, 16/24/32-bit; no RLE), PNM (P1-P6) and baseline TIFF without
/// compression (8-bit gray, palette, RGB / RGBA, chunky or planar strips). JPEG, PNG,
/// WebP, JPEG 2000 and compressed TIFF need codecs the interpreter does not carry;
/// they are rejected with an error naming the format.
struct ImageDecoder: Operator {
    static let opType = "ImageDecoder"
    static let sinceVersions: [Int64] = [20]
    enum PixelFormat { case rgb, bgr, gray }
    let format: PixelFormat

    init(_ c: OpContext) throws {
        switch try c.string("pixel_format", default: "RGB") {
        case "RGB": format = .rgb
        case "BGR": format = .bgr
        case "Grayscale": format = .gray
        case let other:
            throw InterpreterError.badAttribute(node: c.nodeName, attribute: "pixel_format", message: "must be RGB, BGR or Grayscale, got \"\(other)\"")
        }
    }

    /// A decoded image: interleaved RGB bytes, row-major from the top-left pixel.
    struct RGBImage { let width: Int, height: Int, rgb: [UInt8] }

    func run(_ inputs: [Value?], _ context: RunContext) throws -> [Value] {
        let t = try context.tensor(inputs, 0)
        guard case .uint8(let bytes) = t.storage, t.dataType == .uint8 else {
            throw InterpreterError.unsupportedType(t.dataType, context: "\(context.nodeName) encoded_stream")
        }
        let image: RGBImage
        if bytes.count >= 2, bytes[0] == 0x42, bytes[1] == 0x4D {
            image = try ImageReaders.bmp(bytes, context)
        } else if bytes.count >= 2, bytes[0] == 0x50, (0x31...0x36).contains(bytes[1]) {
            image = try ImageReaders.pnm(bytes, context)
        } else if ImageReaders.sniff(bytes) == "TIFF" {
            image = try ImageReaders.tiff(bytes, context)
        } else {
            throw context.invalid("cannot decode a \(ImageReaders.sniff(bytes)) stream: only BMP, PNM and uncompressed TIFF are supported")
        }
        let n = image.width * image.height
        switch format {
        case .rgb:
            return [.tensor(TensorValue(unchecked: .uint8, shape: [image.height, image.width, 3], storage: .uint8(image.rgb)))]
        case .bgr:
            var out = image.rgb
            for i in 0..<n { out[3 * i] = image.rgb[3 * i + 2]; out[3 * i + 2] = image.rgb[3 * i] }
            return [.tensor(TensorValue(unchecked: .uint8, shape: [image.height, image.width, 3], storage: .uint8(out)))]
        case .gray:
            var out = [UInt8](repeating: 0, count: n)
            for i in 0..<n {
                let r = UInt32(image.rgb[3 * i]), g = UInt32(image.rgb[3 * i + 1]), b = UInt32(image.rgb[3 * i + 2])
                out[i] = UInt8((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16)
            }
            return [.tensor(TensorValue(unchecked: .uint8, shape: [image.height, image.width, 1], storage: .uint8(out)))]
        }
    }
}

/// The BMP, PNM and TIFF readers of ImageDecoder. Every read is bounds-checked.
enum ImageReaders {
    /// The format a stream's magic bytes announce, for messages.
    static func sniff(_ b: [UInt8]) -> String {
        func starts(_ p: [UInt8]) -> Bool { b.count >= p.count && Array(b[0..<p.count]) == p }
        if starts([0xFF, 0xD8, 0xFF]) { return "JPEG" }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return "PNG" }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "TIFF" }
        if starts([0x52, 0x49, 0x46, 0x46]), b.count >= 12, Array(b[8..<12]) == [0x57, 0x45, 0x42, 0x50] { return "WebP" }
        if starts([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50]) || starts([0xFF, 0x4F, 0xFF, 0x51]) { return "JPEG 2000" }
        if starts([0x47, 0x49, 0x46]) { return "GIF" }
        return "unrecognized"
    }

    /// Largest accepted image, in pixels.
    static let maxPixels = 1 << 28

    static func bmp(_ b: [UInt8], _ context: RunContext) throws -> ImageDecoder.RGBImage {
        func u16(_ o: Int) throws -> Int {
            guard o >= 0, o + 2 <= b.count else { throw context.invalid("truncated BMP header") }
            return Int(b[o]) | Int(b[o + 1]) << 8
        }
        func u32(_ o: Int) throws -> UInt32 {
            guard o >= 0, o + 4 <= b.count else { throw context.invalid("truncated BMP header") }
            return UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
        }
        let dataOffset = Int(try u32(10))
        let headerSize = Int(try u32(14))
        guard headerSize >= 40 else { throw context.invalid("BMP with a \(headerSize)-byte (OS/2) header is not supported") }
        let width = Int(Int32(bitPattern: try u32(18)))
        let rawHeight = Int(Int32(bitPattern: try u32(22)))
        let bpp = try u16(28)
        let compression = try u32(30)
        guard width > 0, rawHeight != 0, rawHeight != Int(Int32.min) else { throw context.invalid("BMP has size \(width) x \(rawHeight)") }
        let height = abs(rawHeight), topDown = rawHeight < 0
        guard width <= maxPixels / height else { throw context.invalid("BMP of \(width) x \(height) is too large") }
        // Channel masks: BI_RGB defaults, or the BI_BITFIELDS masks after the header.
        var masks: [UInt32] = bpp == 16 ? [0x7C00, 0x03E0, 0x001F] : [0x00FF_0000, 0x0000_FF00, 0x0000_00FF]
        switch compression {
        case 0: break
        case 3 where bpp == 32 || bpp == 16: masks = [try u32(54), try u32(58), try u32(62)]
        default: throw context.invalid("BMP compression \(compression) (\(bpp)-bit) is not supported")
        }
        guard [1, 4, 8, 16, 24, 32].contains(bpp) else { throw context.invalid("BMP with \(bpp) bits per pixel is not supported") }
        var palette: [[UInt8]] = []
        if bpp <= 8 {
            var colors = Int(try u32(46))
            if colors == 0 { colors = 1 << bpp }
            guard colors <= 1 << bpp else { throw context.invalid("BMP palette of \(colors) colors for \(bpp) bits") }
            let po = 14 + headerSize
            for i in 0..<colors {
                let o = po + 4 * i
                guard o + 3 <= b.count else { throw context.invalid("truncated BMP palette") }
                palette.append([b[o + 2], b[o + 1], b[o]])
            }
        }
        let stride = ((width * bpp + 31) / 32) * 4
        guard dataOffset >= 0, dataOffset <= b.count, (b.count - dataOffset) / stride >= height else {
            throw context.invalid("BMP pixel data is truncated")
        }
        func channel(_ v: UInt32, _ mask: UInt32) -> UInt8 {
            guard mask != 0 else { return 0 }
            let shift = UInt32(mask.trailingZeroBitCount)
            let bits = UInt32((mask >> shift).nonzeroBitCount)
            let x = (v & mask) >> shift
            if bits >= 8 { return UInt8(truncatingIfNeeded: x >> (bits - 8)) }
            let maxv = (UInt32(1) << bits) - 1
            return UInt8((x * 255 + maxv / 2) / maxv)
        }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let row = dataOffset + (topDown ? y : height - 1 - y) * stride
            for x in 0..<width {
                let o = (y * width + x) * 3
                switch bpp {
                case 24:
                    let p = row + 3 * x
                    rgb[o] = b[p + 2]; rgb[o + 1] = b[p + 1]; rgb[o + 2] = b[p]
                case 32, 16:
                    let p = row + (bpp / 8) * x
                    var v = UInt32(b[p]) | UInt32(b[p + 1]) << 8
                    if bpp == 32 { v |= UInt32(b[p + 2]) << 16 | UInt32(b[p + 3]) << 24 }
                    rgb[o] = channel(v, masks[0]); rgb[o + 1] = channel(v, masks[1]); rgb[o + 2] = channel(v, masks[2])
                default:
                    let bit = x * bpp
                    let byte = b[row + bit / 8]
                    let idx = Int(byte >> UInt8(8 - bpp - bit % 8)) & ((1 << bpp) - 1)
                    guard idx < palette.count else { throw context.invalid("BMP pixel uses palette entry \(idx) of \(palette.count)") }
                    rgb[o] = palette[idx][0]; rgb[o + 1] = palette[idx][1]; rgb[o + 2] = palette[idx][2]
                }
            }
        }
        return ImageDecoder.RGBImage(width: width, height: height, rgb: rgb)
    }

    static func pnm(_ b: [UInt8], _ context: RunContext) throws -> ImageDecoder.RGBImage {
        let kind = Int(b[1]) - 0x30
        var pos = 2
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C }
        /// The next decimal number of the header or of an ASCII raster, skipping comments.
        func number(bit: Bool = false) throws -> Int {
            while pos < b.count {
                if b[pos] == 0x23 { while pos < b.count, b[pos] != 0x0A, b[pos] != 0x0D { pos += 1 } } else if isSpace(b[pos]) { pos += 1 } else { break }
            }
            var v = 0, digits = 0
            while pos < b.count, (0x30...0x39).contains(b[pos]) {
                v = v * 10 + Int(b[pos] - 0x30)
                guard v < 1 << 31 else { throw context.invalid("PNM number is too large") }
                pos += 1; digits += 1
                if bit { break } // P1 pixels may be written without separators
            }
            guard digits > 0 else { throw context.invalid("malformed PNM header or raster") }
            return v
        }
        let width = try number(), height = try number()
        let maxval = (kind == 1 || kind == 4) ? 1 : try number()
        guard width > 0, height > 0, width <= maxPixels / height else { throw context.invalid("PNM has size \(width) x \(height)") }
        guard maxval >= 1, maxval <= 65535 else { throw context.invalid("PNM maxval \(maxval) is out of range") }
        if kind >= 4 {
            // Exactly one whitespace byte separates the header from a binary raster.
            guard pos < b.count, isSpace(b[pos]) else { throw context.invalid("PNM header is not terminated") }
            pos += 1
        }
        let n = width * height
        func scale(_ v: Int) -> UInt8 {
            let c = min(v, maxval)
            return maxval == 255 ? UInt8(c) : UInt8((c * 255 + maxval / 2) / maxval)
        }
        var rgb = [UInt8](repeating: 0, count: n * 3)
        let channels = (kind == 3 || kind == 6) ? 3 : 1
        switch kind {
        case 4:
            let stride = (width + 7) / 8
            guard (b.count - pos) / stride >= height else { throw context.invalid("PNM raster is truncated") }
            for y in 0..<height {
                for x in 0..<width {
                    let v: UInt8 = (b[pos + y * stride + x / 8] >> UInt8(7 - x % 8)) & 1 == 1 ? 0 : 255
                    let o = (y * width + x) * 3
                    rgb[o] = v; rgb[o + 1] = v; rgb[o + 2] = v
                }
            }
        case 5, 6:
            let bytesPer = maxval > 255 ? 2 : 1
            guard (b.count - pos) / (bytesPer * channels) >= n else { throw context.invalid("PNM raster is truncated") }
            for i in 0..<(n * channels) {
                let p = pos + i * bytesPer
                let v = bytesPer == 2 ? Int(b[p]) << 8 | Int(b[p + 1]) : Int(b[p])
                if channels == 3 { rgb[i] = scale(v) } else { let s = scale(v); rgb[3 * i] = s; rgb[3 * i + 1] = s; rgb[3 * i + 2] = s }
            }
        default:
            for i in 0..<(n * channels) {
                let v = try number(bit: kind == 1)
                if kind == 1 {
                    let s: UInt8 = v == 0 ? 255 : 0
                    rgb[3 * i] = s; rgb[3 * i + 1] = s; rgb[3 * i + 2] = s
                } else if channels == 3 {
                    rgb[i] = scale(v)
                } else {
                    let s = scale(v); rgb[3 * i] = s; rgb[3 * i + 1] = s; rgb[3 * i + 2] = s
                }
            }
        }
        return ImageDecoder.RGBImage(width: width, height: height, rgb: rgb)
    }

    static func tiff(_ b: [UInt8], _ context: RunContext) throws -> ImageDecoder.RGBImage {
        let little = b[0] == 0x49
        func u16(_ o: Int) throws -> Int {
            guard o >= 0, o + 2 <= b.count else { throw context.invalid("truncated TIFF") }
            return little ? Int(b[o]) | Int(b[o + 1]) << 8 : Int(b[o]) << 8 | Int(b[o + 1])
        }
        func u32(_ o: Int) throws -> Int {
            guard o >= 0, o + 4 <= b.count else { throw context.invalid("truncated TIFF") }
            let v = little ? UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
                : UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3])
            return Int(v)
        }
        // The first image file directory: tag -> values (SHORT / LONG / BYTE).
        let ifd = try u32(4)
        let entries = try u16(ifd)
        var tags: [Int: [Int]] = [:]
        for i in 0..<entries {
            let e = ifd + 2 + 12 * i
            let tag = try u16(e), type = try u16(e + 2), count = try u32(e + 4)
            let size: Int
            switch type {
            case 1, 2, 6, 7: size = 1
            case 3, 8: size = 2
            case 4, 9: size = 4
            default: continue // rationals and others: not needed
            }
            guard count >= 0, count <= b.count else { throw context.invalid("TIFF tag \(tag) has \(count) values") }
            let base = count * size <= 4 ? e + 8 : try u32(e + 8)
            var values: [Int] = []
            values.reserveCapacity(count)
            for k in 0..<count {
                let o = base + k * size
                switch size {
                case 1:
                    guard o < b.count else { throw context.invalid("truncated TIFF") }
                    values.append(Int(b[o]))
                case 2: values.append(try u16(o))
                default: values.append(try u32(o))
                }
            }
            tags[tag] = values
        }
        func tag(_ t: Int, default d: Int? = nil) throws -> Int {
            if let v = tags[t]?.first { return v }
            if let d { return d }
            throw context.invalid("TIFF lacks tag \(t)")
        }
        let width = try tag(256), height = try tag(257)
        guard width > 0, height > 0, width <= maxPixels / height else { throw context.invalid("TIFF has size \(width) x \(height)") }
        let compression = try tag(259, default: 1)
        guard compression == 1 else { throw context.invalid("TIFF compression \(compression) is not supported (only uncompressed TIFF is)") }
        guard try tag(317, default: 1) == 1 else { throw context.invalid("TIFF predictors are not supported") }
        let photometric = try tag(262)
        let spp = try tag(277, default: 1)
        let bits = tags[258] ?? [1]
        guard bits.allSatisfy({ $0 == 8 }) else { throw context.invalid("TIFF with \(bits) bits per sample is not supported") }
        let planar = try tag(284, default: 1)
        let rowsPerStrip = min(try tag(278, default: height), height)
        guard let offsets = tags[273], let counts = tags[279], offsets.count == counts.count, rowsPerStrip > 0 else {
            throw context.invalid("TIFF strips are missing or inconsistent")
        }
        switch photometric {
        case 0, 1, 3: guard spp >= 1 else { throw context.invalid("TIFF has \(spp) samples per pixel") }
        case 2: guard spp >= 3 else { throw context.invalid("TIFF RGB image has \(spp) samples per pixel") }
        default: throw context.invalid("TIFF photometric interpretation \(photometric) is not supported")
        }
        // Sample (plane, pixel) -> byte, reading the strips.
        let stripsPerPlane = (height + rowsPerStrip - 1) / rowsPerStrip
        guard offsets.count >= (planar == 2 ? spp : 1) * stripsPerPlane else { throw context.invalid("TIFF has too few strips") }
        func sample(_ s: Int, _ y: Int, _ x: Int) throws -> UInt8 {
            let strip = y / rowsPerStrip, r = y % rowsPerStrip
            let o: Int
            if planar == 2 {
                o = offsets[s * stripsPerPlane + strip] + r * width + x
            } else {
                o = offsets[strip] + (r * width + x) * spp + s
            }
            guard o >= 0, o < b.count else { throw context.invalid("TIFF strip data is truncated") }
            return b[o]
        }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        let colormap = tags[320] ?? []
        for y in 0..<height {
            for x in 0..<width {
                let o = (y * width + x) * 3
                switch photometric {
                case 2:
                    rgb[o] = try sample(0, y, x); rgb[o + 1] = try sample(1, y, x); rgb[o + 2] = try sample(2, y, x)
                case 3:
                    let i = Int(try sample(0, y, x))
                    guard colormap.count == 3 * 256 else { throw context.invalid("TIFF palette image lacks a 256-entry colormap") }
                    rgb[o] = UInt8(min(255, colormap[i] >> 8)); rgb[o + 1] = UInt8(min(255, colormap[256 + i] >> 8)); rgb[o + 2] = UInt8(min(255, colormap[512 + i] >> 8))
                default:
                    let v = try sample(0, y, x)
                    let g = photometric == 0 ? 255 - v : v
                    rgb[o] = g; rgb[o + 1] = g; rgb[o + 2] = g
                }
            }
        }
        return ImageDecoder.RGBImage(width: width, height: height, rgb: rgb)
    }
}
