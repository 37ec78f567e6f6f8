//! Servers that misbehave (no privacyIDEA does this on purpose, so these are local sockets):
//! each connection's request is read, then answered as the [`Behaviour`] says.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

#[derive(Clone, Copy, Debug)]
pub enum Behaviour {
    /// These bytes, then the connection is closed.
    Canned(&'static [u8]),
    /// A chunked 200 answer of 200 chunks of 64 KiB (far beyond any body limit).
    HugeChunked,
    /// Nothing, for a minute.
    Silent,
    /// A 200 head announcing 1000 bytes, then one byte every half second.
    Drip,
}

/// A 200 answer with a JSON `body` (leaked: a test's canned answers live as long as it does).
pub fn ok_json(body: &str) -> &'static [u8] {
    let text = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    Box::leak(text.into_bytes().into_boxed_slice())
}

/// A server on 127.0.0.1 behaving as `behaviour` to every connection; runs on the caller's
/// tokio runtime until it ends.
pub async fn serve(behaviour: Behaviour) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = [0u8; 8192];
                let _ = socket.read(&mut buffer).await;
                match behaviour {
                    Behaviour::Canned(bytes) => {
                        let _ = socket.write_all(bytes).await;
                    }
                    Behaviour::HugeChunked => {
                        let _ = socket
                            .write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                            .await;
                        let chunk = vec![b' '; 65536];
                        for _ in 0..200 {
                            if socket.write_all(b"10000\r\n").await.is_err()
                                || socket.write_all(&chunk).await.is_err()
                                || socket.write_all(b"\r\n").await.is_err()
                            {
                                break;
                            }
                        }
                    }
                    Behaviour::Silent => tokio::time::sleep(Duration::from_secs(60)).await,
                    Behaviour::Drip => {
                        let _ = socket
                            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
                            .await;
                        for _ in 0..60 {
                            if socket.write_all(b" ").await.is_err() {
                                break;
                            }
                            tokio::time::sleep(Duration::from_millis(500)).await;
                        }
                    }
                }
            });
        }
    });
    address
}
