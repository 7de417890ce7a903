//! The command line: every command and option, as clap reads them.
// The doc comments are the `--help` text, where a URL is plain text, not a Markdown link.
#![allow(rustdoc::bare_urls)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// What `--help` ends with: where settings come from, and what the exit code means.
const AFTER_HELP: &str = "\
Environment:
  IMAGEKIT_PRIVATE_KEY       the private API key (the only way to give it)
  IMAGEKIT_BASE_URL          the API base URL (--base-url wins)
  IMAGEKIT_UPLOAD_BASE_URL   the upload base URL (--upload-base-url wins)
  IMAGEKIT_URL_ENDPOINT      the URL endpoint for `imagekit url` (--url-endpoint wins)
  IMAGEKIT_WEBHOOK_SECRET    the secret for `imagekit webhook verify`
  IMAGE_KIT_LOG              off, error, warn, info, debug: the client's events on stderr

Exit codes:
  0    success
  1    ImageKit refused a request, or it could not be sent (some files failed to upload,
       some ids were not deleted, a webhook's signature does not match)
  2    usage: bad arguments, a value the library refuses before sending, no private key
       (within an upload, a file the library refuses is that file's failure: 1)
  130  interrupted by Ctrl-C (upload)";

/// imagekit: the ImageKit.io media API from the command line.
#[derive(Debug, Parser)]
#[command(name = "imagekit", version, after_help = AFTER_HELP, propagate_version = true)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// The API base URL, e.g. the emulator's http://127.0.0.1:PORT [env: IMAGEKIT_BASE_URL]
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// The upload base URL [env: IMAGEKIT_UPLOAD_BASE_URL]
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) upload_base_url: Option<String>,
    /// Machine output: JSON documents, or JSON lines for `ls` and `upload`
    #[arg(long, global = true)]
    pub(crate) json: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Upload files and directory trees, a few at a time
    #[command(long_about = UPLOAD_ABOUT)]
    Upload(Upload),
    /// List and search files and folders, every page
    Ls(Ls),
    /// Show a file's details
    Get {
        /// The file's id
        file_id: String,
    },
    /// List a file's versions, or show one
    Versions {
        /// The file's id
        file_id: String,
        /// A version's id: show that version only
        version_id: Option<String>,
    },
    /// Make a version the file's current one
    Restore {
        /// The file's id
        file_id: String,
        /// The version to restore
        version_id: String,
    },
    /// Delete files and all their versions, 100 per request
    Rm {
        /// The files' ids
        #[arg(required = true)]
        file_ids: Vec<String>,
    },
    /// Purge a URL from the CDN cache (a trailing * purges a prefix)
    Purge(Purge),
    /// Build a delivery URL, signed if asked
    Url(Url),
    /// Webhooks
    #[command(subcommand)]
    Webhook(Webhook),
    /// Run the in-memory ImageKit emulator on 127.0.0.1 until Ctrl-C
    Emulator(EmulatorArgs),
}

const UPLOAD_ABOUT: &str = "\
Upload files and directory trees, a few at a time.

Each file is streamed from disk, never loaded whole. Where files land, with --folder /x:
  b.png or dir/a/b.png   (a file)              /x/b.png
  dir                    (a directory)         /x/dir/a/b.png   its own name is kept, as cp -r does
  dir/  (or dir/. or .)  (its contents only)   /x/a/b.png       as rsync does with a trailing slash
Files keep their names (useUniqueFileName=false): a file already at that path gets a new
version, unless --skip-existing skips it.

Links given on the command line are followed. Inside a tree, links to files in the tree are
followed; links to files outside it are skipped (and reported) unless --follow-links, so an
untrusted tree cannot publish other local files; links to directories are not followed (they are
reported). Rate limits and connections that could not be made
are retried as the library's retry policy says; a failed file does not stop the others, and the
command exits 1 with a summary of what failed and why.

Ctrl-C starts no new upload and lets those in flight finish; a second Ctrl-C abandons them.
Either way it prints what was and was not uploaded and exits 130.";

/// `imagekit upload`.
#[derive(Debug, Args)]
pub(crate) struct Upload {
    /// Files and directories to upload
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
    /// The remote folder to upload into
    #[arg(long, default_value = "/", value_name = "FOLDER")]
    pub(crate) folder: String,
    /// How many files to upload at once
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub(crate) concurrency: u16,
    /// Tags for every file, comma-separated
    #[arg(long, value_delimiter = ',', value_name = "TAG,...")]
    pub(crate) tags: Vec<String>,
    /// Skip files whose remote path already exists (each remote folder is listed once)
    #[arg(long)]
    pub(crate) skip_existing: bool,
    /// Follow links inside a tree to files outside it (by default they are skipped)
    #[arg(long)]
    pub(crate) follow_links: bool,
}

/// `imagekit ls`.
#[derive(Debug, Args)]
pub(crate) struct Ls {
    /// A search expression, e.g. 'size > "1mb"'
    #[arg(long, value_name = "QUERY")]
    pub(crate) search: Option<String>,
    /// Only files and folders directly in this folder, e.g. /catalog
    #[arg(long, value_name = "FOLDER")]
    pub(crate) path: Option<String>,
    /// Results per request (1 to 1000); every page is listed whatever the size
    #[arg(long, default_value_t = 1000, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub(crate) page_size: u32,
}

/// `imagekit purge`.
#[derive(Debug, Args)]
pub(crate) struct Purge {
    /// The URL to purge
    pub(crate) url: String,
    /// Wait until the purge is completed
    #[arg(long)]
    pub(crate) wait: bool,
    /// How long to wait at most, in seconds
    #[arg(long, default_value_t = 300, value_name = "SECONDS", requires = "wait")]
    pub(crate) wait_timeout: u64,
}

/// `imagekit url`.
#[derive(Debug, Args)]
pub(crate) struct Url {
    /// A path under the URL endpoint (/sample.jpg), or an absolute URL
    pub(crate) src: String,
    /// A transformation step, e.g. 'w-300,h-200'; repeat it for a chain
    #[arg(long = "tr", value_name = "STEP")]
    pub(crate) transformations: Vec<String>,
    /// Put the transformation in the path (/tr:w-300/sample.jpg) instead of the query
    #[arg(long)]
    pub(crate) tr_in_path: bool,
    /// Sign the URL with the private key (IMAGEKIT_PRIVATE_KEY)
    #[arg(long)]
    pub(crate) sign: bool,
    /// Make the signed URL expire after this many seconds
    #[arg(long, value_name = "SECONDS", requires = "sign")]
    pub(crate) expires: Option<u64>,
    /// The URL endpoint, e.g. https://ik.imagekit.io/your_id [env: IMAGEKIT_URL_ENDPOINT]
    #[arg(long, value_name = "URL")]
    pub(crate) url_endpoint: Option<String>,
}

/// `imagekit webhook ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum Webhook {
    /// Verify a webhook: its raw body on standard input, its headers from the options
    #[command(long_about = VERIFY_ABOUT)]
    Verify(Verify),
}

const VERIFY_ABOUT: &str = "\
Verify a webhook: its raw body on standard input, its headers from the options.

Prints the event's type and id (--json: the whole event). Exits 1 when the webhook is refused:
a signature that does not match, a timestamp more than 5 minutes away, a header missing.

  imagekit webhook verify --id msg_1 --timestamp 1700000000 --signature 'v1,...' < body.json
  imagekit webhook verify --header 'x-ik-signature: t=...,v1=...' < body.json";

/// `imagekit webhook verify`.
#[derive(Debug, Args)]
pub(crate) struct Verify {
    /// A header as received, 'Name: value'; repeatable
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
    pub(crate) headers: Vec<String>,
    /// The webhook-id header (current scheme)
    #[arg(long, value_name = "ID")]
    pub(crate) id: Option<String>,
    /// The webhook-timestamp header (current scheme)
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub(crate) timestamp: Option<String>,
    /// The webhook-signature header (current scheme)
    #[arg(long, value_name = "SIGNATURE")]
    pub(crate) signature: Option<String>,
    /// The x-ik-signature header (legacy scheme)
    #[arg(long, value_name = "SIGNATURE")]
    pub(crate) legacy_signature: Option<String>,
    /// Read the secret from this environment variable instead of IMAGEKIT_WEBHOOK_SECRET
    #[arg(long, value_name = "NAME")]
    pub(crate) secret_env: Option<String>,
}

/// `imagekit emulator`.
#[derive(Debug, Args)]
pub(crate) struct EmulatorArgs {
    /// The port on 127.0.0.1; 0 picks a free one
    #[arg(long, default_value_t = 0)]
    pub(crate) port: u16,
    /// The private key the emulator accepts (a test key, not your account's)
    #[arg(long, default_value = "private_emulator", value_name = "KEY")]
    pub(crate) private_key: String,
    /// The most bytes of file content it holds, all versions counted
    #[arg(long, value_name = "BYTES")]
    pub(crate) max_storage_bytes: Option<u64>,
}
