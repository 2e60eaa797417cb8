//! The photos the upload benchmark sends (`benches/upload_jpeg.sh` runs
//! this first): seven different 4000 x 3000 JPEGs of about 5 MiB each,
//! with EXIF orientation 6 and GPS like a phone photo, written to
//! `$PLAZA_BENCH_DIR` (default `/tmp/plaza-bench`). Prints each file's size
//! and how long making it took.
//!
//! `cargo bench --bench upload_photos`

#[path = "../tests/it/common/exif.rs"]
mod exif;

use image::ImageEncoder;
use std::time::Instant;

fn main() {
    let dir = std::env::var("PLAZA_BENCH_DIR").unwrap_or_else(|_| "/tmp/plaza-bench".into());
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..7u32 {
        let t = Instant::now();
        let mut seed = 0x9E37_79B9u32.wrapping_mul(i + 1);
        let img = image::RgbImage::from_fn(4000, 3000, |x, y| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let n = (seed % 36) as i32 - 18;
            let px = |v: u32| (v as i32 + n).clamp(0, 255) as u8;
            image::Rgb([px(x * 255 / 4000), px(y * 255 / 3000), px((x + y + i * 500) % 256)])
        });
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .write_image(&img, 4000, 3000, image::ExtendedColorType::Rgb8)
            .unwrap();
        jpeg.splice(2..2, exif::exif_app1(6));
        let path = format!("{dir}/photo-{i}.jpg");
        std::fs::write(&path, &jpeg).unwrap();
        println!("{path}: {:.2} MiB, made in {:.0} ms", jpeg.len() as f64 / 1048576.0, t.elapsed().as_secs_f64() * 1e3);
    }
}
