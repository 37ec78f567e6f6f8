//! A man in the middle for one test: forwards each HTTP/1.1 exchange to the test server and
//! passes the body of every GET answer (the poll) through `alter`. It runs on threads of its
//! own, so sync tests (the CLI's) and async ones (the push crate's) use it alike.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Proxy {
    /// `http://127.0.0.1:PORT` of the proxy.
    pub url: String,
    upstream: String,
    altered: Arc<AtomicUsize>,
}

type Alter = dyn Fn(&[u8]) -> Vec<u8> + Send + Sync;

impl Proxy {
    /// A proxy in front of `upstream` (`http://127.0.0.1:PORT`), for the test's lifetime.
    pub fn start(upstream: &str, alter: impl Fn(&[u8]) -> Vec<u8> + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let address = upstream.trim_start_matches("http://").to_owned();
        let altered = Arc::new(AtomicUsize::new(0));
        let alter: Arc<Alter> = Arc::new(alter);
        let counter = Arc::clone(&altered);
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let (address, alter, counter) =
                    (address.clone(), Arc::clone(&alter), Arc::clone(&counter));
                std::thread::spawn(move || forward(client, &address, &*alter, &counter));
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
        let rewritten = rewritten.to_string();
        assert_ne!(rewritten, link, "the link names {}", self.upstream);
        rewritten
    }

    /// How many answers `alter` changed.
    pub fn altered(&self) -> usize {
        self.altered.load(Ordering::SeqCst)
    }
}

fn forward(mut client: TcpStream, upstream: &str, alter: &Alter, altered: &AtomicUsize) {
    let (head, body) = read_message(&mut client, true);
    if head.is_empty() {
        return;
    }
    let is_get = head.starts_with("GET ");
    let mut server = TcpStream::connect(upstream).unwrap();
    let head = with_header(&head, "connection", "close");
    server.write_all(head.as_bytes()).unwrap();
    server.write_all(b"\r\n\r\n").unwrap();
    server.write_all(&body).unwrap();
    let (head, mut body) = read_message(&mut server, false);
    if is_get {
        let changed = alter(&body);
        if changed != body {
            altered.fetch_add(1, Ordering::SeqCst);
        }
        body = changed;
    }
    let head = with_header(&head, "content-length", &body.len().to_string());
    let head = with_header(&head, "connection", "close");
    // The client may have given up (a timeout): nothing to report to it then.
    let _ = client.write_all(head.as_bytes());
    let _ = client.write_all(b"\r\n\r\n");
    let _ = client.write_all(&body);
}

/// Reads one HTTP message: the head, then `Content-Length` bytes; without one, a request has
/// no body and a response (sent with `connection: close`) runs to EOF.
fn read_message(stream: &mut TcpStream, request: bool) -> (String, Vec<u8>) {
    let mut data = Vec::new();
    let mut buffer = [0u8; 16384];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).into_owned();
            let length = head
                .lines()
                .find_map(|line| {
                    let lower = line.to_ascii_lowercase();
                    lower
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                })
                .or(request.then_some(0));
            if let Some(length) = length
                && data.len() >= end + 4 + length
            {
                return (head, data[end + 4..end + 4 + length].to_vec());
            }
        }
        let read = stream.read(&mut buffer).unwrap_or(0);
        if read == 0 {
            let end = data
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .unwrap_or(data.len());
            let head = String::from_utf8_lossy(&data[..end]).into_owned();
            return (head, data.get(end + 4..).unwrap_or_default().to_vec());
        }
        data.extend_from_slice(&buffer[..read]);
    }
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
