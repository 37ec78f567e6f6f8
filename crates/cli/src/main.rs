//! `tessera`: the command-line authenticator.

fn main() {
    println!("tessera");
}
