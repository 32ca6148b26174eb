//! A static issuer: `/.well-known/openid-configuration` and `/jwks.json`
//! from files `prepare` wrote, as `application/json`, one connection at a
//! time with `Connection: close` (the server asks a handful of times).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use crate::args::Args;

/// `issuer --dir D --port P`: serves until killed.
pub(crate) fn run(args: &Args) -> Result<(), String> {
    let dir = PathBuf::from(args.str("dir")?);
    let port: u16 = args.num("port", 0)?;
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    for stream in listener.incoming() {
        match stream {
            Ok(s) => {
                if let Err(e) = serve(s, &dir) {
                    eprintln!("issuer: {e}");
                }
            }
            Err(e) => eprintln!("issuer: {e}"),
        }
    }
    Ok(())
}

fn serve(stream: TcpStream, dir: &Path) -> Result<(), String> {
    let mut reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
    let mut request_line = String::new();
    reader
        .read_line(&mut request_line)
        .map_err(|e| e.to_string())?;
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).map_err(|e| e.to_string())?;
        if n == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or(path);
    let file = match path {
        "/.well-known/openid-configuration" | "/.well-known/oauth-authorization-server" => {
            Some("openid-configuration.json")
        }
        "/jwks.json" => Some("jwks.json"),
        _ => None,
    };
    let (status, body) = match file.map(|f| std::fs::read(dir.join(f))) {
        Some(Ok(body)) => ("200 OK", body),
        _ => ("404 Not Found", b"{}".to_vec()),
    };
    let mut out = stream;
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    out.write_all(head.as_bytes())
        .and_then(|()| out.write_all(&body))
        .map_err(|e| e.to_string())
}
