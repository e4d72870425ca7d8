//! Embeds the VIF domain's class library and VIFlet images when named
//! (see embed_images.rs).

mod embed_images;

fn main() {
    embed_images::embed_vif_images();
}
