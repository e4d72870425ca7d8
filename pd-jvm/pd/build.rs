//! Embeds the Java PD image (see embed_image.rs).

mod embed_image;

fn main() {
    embed_image::embed_jvm_image();
}
