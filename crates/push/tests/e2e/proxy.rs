//! A man in the middle for one test: forwards HTTP/1.1 to the test server, and rewrites the
//! body of every GET answer (the poll) with `alter`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub struct Proxy {
    pub url: String,
    upstream: String,
    altered: Arc<AtomicUsize>,
}

type Alter = dyn Fn(&[u8]) -> Vec<u8> + Send + Sync;

async fn read_message(stream: &mut TcpStream, until_eof: bool) -> Vec<u8> {
    let mut data = Vec::new();
    let mut buffer = [0u8; 16384];
    loop {
        if !until_eof && let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse::<usize>().unwrap());
            if data.len() >= end + 4 + length {
                return data;
            }
        }
        let read = stream.read(&mut buffer).await.unwrap();
        if read == 0 {
            return data;
        }
        data.extend_from_slice(&buffer[..read]);
    }
}

fn split(message: &[u8]) -> (String, Vec<u8>) {
    let end = message.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    (
        String::from_utf8_lossy(&message[..end]).into_owned(),
        message[end + 4..].to_vec(),
    )
}

fn with_header(head: &str, name: &str, value: &str) -> String {
    let mut lines: Vec<String> = head
        .lines()
        .filter(|line| !line.to_ascii_lowercase().starts_with(&format!("{name}:")))
        .map(str::to_owned)
        .collect();
    lines.push(format!("{name}: {value}"));
    lines.join("\r\n")
}

impl Proxy {
    pub async fn start(
        upstream: &str,
        alter: impl Fn(&[u8]) -> Vec<u8> + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let upstream_addr = upstream.trim_start_matches("http://").to_owned();
        let altered = Arc::new(AtomicUsize::new(0));
        let alter: Arc<Alter> = Arc::new(alter);
        let counter = Arc::clone(&altered);
        tokio::spawn(async move {
            loop {
                let (mut client, _) = listener.accept().await.unwrap();
                let upstream_addr = upstream_addr.clone();
                let alter = Arc::clone(&alter);
                let counter = Arc::clone(&counter);
                tokio::spawn(async move {
                    let request = read_message(&mut client, false).await;
                    if request.is_empty() {
                        return;
                    }
                    let is_get = request.starts_with(b"GET ");
                    let (head, body) = split(&request);
                    let head = with_header(&head, "connection", "close");
                    let mut server = TcpStream::connect(&upstream_addr).await.unwrap();
                    server.write_all(head.as_bytes()).await.unwrap();
                    server.write_all(b"\r\n\r\n").await.unwrap();
                    server.write_all(&body).await.unwrap();
                    let response = read_message(&mut server, true).await;
                    let (head, mut body) = split(&response);
                    if is_get {
                        let changed = alter(&body);
                        if changed != body {
                            counter.fetch_add(1, Ordering::SeqCst);
                        }
                        body = changed;
                    }
                    let head = with_header(&head, "content-length", &body.len().to_string());
                    let head = with_header(&head, "connection", "close");
                    client.write_all(head.as_bytes()).await.unwrap();
                    client.write_all(b"\r\n\r\n").await.unwrap();
                    client.write_all(&body).await.unwrap();
                    let _ = client.shutdown().await;
                });
            }
        });
        Self {
            url,
            upstream: upstream.to_owned(),
            altered,
        }
    }

    /// The enrollment link with its registration URL pointed at this proxy.
    pub fn rewrite_link(&self, link: &str) -> String {
        let parsed = url::Url::parse(link).unwrap();
        let mut rewritten = parsed.clone();
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "url" {
                    v.replace(&self.upstream, &self.url)
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        rewritten.query_pairs_mut().clear().extend_pairs(pairs);
        rewritten.to_string()
    }

    /// How many answers were altered.
    pub fn altered(&self) -> usize {
        self.altered.load(Ordering::SeqCst)
    }
}
