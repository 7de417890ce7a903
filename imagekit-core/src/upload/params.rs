//! The parameters of an upload: every form field of the API but the file and the credentials.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::Error;
use crate::models::Extension;
use crate::models::string_enum::string_enum;

/// The most characters all tags of a file may have together.
pub const MAX_TAGS_LENGTH: usize = 500;

string_enum! {
    /// A field to include in the upload's answer (`responseFields`).
    pub enum ResponseField {
        /// `tags`
        Tags => "tags",
        /// `customCoordinates`
        CustomCoordinates => "customCoordinates",
        /// `isPrivateFile`
        IsPrivateFile => "isPrivateFile",
        /// `embeddedMetadata`
        EmbeddedMetadata => "embeddedMetadata",
        /// `isPublished`
        IsPublished => "isPublished",
        /// `customMetadata`
        CustomMetadata => "customMetadata",
        /// `metadata`
        Metadata => "metadata",
        /// `selectedFieldsSchema`
        SelectedFieldsSchema => "selectedFieldsSchema",
    }
}

string_enum! {
    /// The kind of a post-upload transformation.
    pub enum PostTransformationType {
        /// A transformation string applied and cached right after the upload.
        Transformation => "transformation",
        /// An animated GIF converted to MP4.
        GifToVideo => "gif-to-video",
        /// A thumbnail generated.
        Thumbnail => "thumbnail",
        /// Adaptive bitrate streaming renditions (`protocol` is `hls` or `dash`).
        Abs => "abs",
    }
}

/// Transformations applied when a file is uploaded (`transformation`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UploadTransformation {
    /// A transformation string applied before the file is stored, e.g. `w-1200,q-80`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre: Option<String>,
    /// Transformations applied right after the upload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post: Option<Vec<PostTransformation>>,
}

impl UploadTransformation {
    /// No transformation yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the pre-upload transformation string.
    pub fn pre(mut self, transformation: impl Into<String>) -> Self {
        self.pre = Some(transformation.into());
        self
    }

    /// Adds a post-upload transformation.
    pub fn post(mut self, step: PostTransformation) -> Self {
        self.post.get_or_insert_with(Vec::new).push(step);
        self
    }
}

/// One post-upload transformation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PostTransformation {
    /// Its kind.
    #[serde(rename = "type")]
    pub kind: PostTransformationType,
    /// The transformation string (required for `transformation` and `abs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `hls` or `dash`, for `abs`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
}

impl PostTransformation {
    /// A transformation string, e.g. `w-300,h-300`.
    pub fn transformation(value: impl Into<String>) -> Self {
        Self { kind: PostTransformationType::Transformation, value: Some(value.into()), protocol: None }
    }

    /// Converts an animated GIF to MP4, with an optional transformation of the video.
    pub fn gif_to_video(value: Option<String>) -> Self {
        Self { kind: PostTransformationType::GifToVideo, value, protocol: None }
    }

    /// Generates a thumbnail, with an optional transformation string.
    pub fn thumbnail(value: Option<String>) -> Self {
        Self { kind: PostTransformationType::Thumbnail, value, protocol: None }
    }

    /// Adaptive bitrate streaming: `protocol` `hls` or `dash`, `value` the renditions, e.g.
    /// `sr-240_360_480_720_1080`.
    pub fn abs(protocol: impl Into<String>, value: impl Into<String>) -> Self {
        Self { kind: PostTransformationType::Abs, value: Some(value.into()), protocol: Some(protocol.into()) }
    }
}

/// The parameters of an upload, every form field of the API but the file and the credentials.
///
/// Unset fields are not sent, so ImageKit's defaults apply. The same parameters build the v2
/// upload JWT ([`crate::upload::auth::upload_v2_token`]).
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct UploadFile {
    /// `fileName`: the name to store the file under (required).
    pub file_name: String,
    /// `useUniqueFileName`: add a unique suffix to the name (ImageKit's default: `true`).
    pub use_unique_file_name: Option<bool>,
    /// `tags`.
    pub tags: Option<Vec<String>>,
    /// `folder`: the folder to upload into, created if missing (default `/`).
    pub folder: Option<String>,
    /// `isPrivateFile` (default `false`).
    pub is_private_file: Option<bool>,
    /// `isPublished` (default `true`; unpublished uploads need an enterprise plan).
    pub is_published: Option<bool>,
    /// `customCoordinates`: `x,y,width,height` of the important area of an image.
    pub custom_coordinates: Option<String>,
    /// `responseFields`: extra fields to include in the answer.
    pub response_fields: Option<Vec<ResponseField>>,
    /// `extensions`: the extensions to run, e.g. [`Extension::auto_tagging`].
    pub extensions: Option<Vec<Extension>>,
    /// `webhookUrl`: where the final status of extensions is posted.
    pub webhook_url: Option<String>,
    /// `overwriteFile` (default `true`).
    pub overwrite_file: Option<bool>,
    /// `overwriteAITags` (default `true`).
    pub overwrite_ai_tags: Option<bool>,
    /// `overwriteTags` (default `true`).
    pub overwrite_tags: Option<bool>,
    /// `overwriteCustomMetadata` (default `true`).
    pub overwrite_custom_metadata: Option<bool>,
    /// `customMetadata`: values of custom metadata fields, by field name.
    pub custom_metadata: Option<Map<String, Value>>,
    /// `transformation`: pre- and post-upload transformations.
    pub transformation: Option<UploadTransformation>,
    /// `checks`: server-side checks the upload must pass, e.g. `"file.size" < "1mb"`.
    pub checks: Option<String>,
    /// `description`.
    pub description: Option<String>,
}

/// Hands the list of the upload's optional fields, each with its setter's signature, to the
/// macro `$then`: so [`UploadFile`] and [`crate::upload::UploadCall`] get the same setters from
/// one list.
macro_rules! upload_fields {
    ($then:ident) => {
        $then! {
            /// Sets `useUniqueFileName`.
            fn use_unique_file_name(unique: bool) => use_unique_file_name = unique;
            /// Sets `tags`.
            fn tags(tags: impl IntoIterator<Item = impl Into<String>>) => tags = tags.into_iter().map(Into::into).collect();
            /// Sets `folder`.
            fn folder(folder: impl Into<String>) => folder = folder.into();
            /// Sets `isPrivateFile`.
            fn is_private_file(private: bool) => is_private_file = private;
            /// Sets `isPublished`.
            fn is_published(published: bool) => is_published = published;
            /// Sets `customCoordinates` (`x,y,width,height`).
            fn custom_coordinates(coordinates: impl Into<String>) => custom_coordinates = coordinates.into();
            /// Sets `responseFields`.
            fn response_fields(fields: impl IntoIterator<Item = $crate::upload::ResponseField>) => response_fields = fields.into_iter().collect();
            /// Sets `extensions`, e.g. [`Extension::auto_tagging`](crate::models::Extension::auto_tagging).
            fn extensions(extensions: impl IntoIterator<Item = $crate::models::Extension>) => extensions = extensions.into_iter().collect();
            /// Sets `webhookUrl`.
            fn webhook_url(url: impl Into<String>) => webhook_url = url.into();
            /// Sets `overwriteFile`.
            fn overwrite_file(overwrite: bool) => overwrite_file = overwrite;
            /// Sets `overwriteAITags`.
            fn overwrite_ai_tags(overwrite: bool) => overwrite_ai_tags = overwrite;
            /// Sets `overwriteTags`.
            fn overwrite_tags(overwrite: bool) => overwrite_tags = overwrite;
            /// Sets `overwriteCustomMetadata`.
            fn overwrite_custom_metadata(overwrite: bool) => overwrite_custom_metadata = overwrite;
            /// Sets `customMetadata`.
            fn custom_metadata(values: serde_json::Map<String, serde_json::Value>) => custom_metadata = values;
            /// Sets `transformation`.
            fn transformation(transformation: $crate::upload::UploadTransformation) => transformation = transformation;
            /// Sets `checks`.
            fn checks(checks: impl Into<String>) => checks = checks.into();
            /// Sets `description`.
            fn description(description: impl Into<String>) => description = description.into();
        }
    };
}
pub(crate) use upload_fields;

/// Declares each setter on [`UploadFile`].
macro_rules! setters {
    ($( $(#[$doc:meta])* fn $name:ident($arg:ident: $ty:ty) => $field:ident = $value:expr; )*) => {
        impl UploadFile {
            $( $(#[$doc])* pub fn $name(mut self, $arg: $ty) -> Self {
                self.$field = Some($value);
                self
            } )*
        }
    };
}
upload_fields!(setters);

impl UploadFile {
    /// Parameters for a file stored as `file_name`, everything else left to ImageKit's defaults.
    pub fn new(file_name: impl Into<String>) -> Self {
        Self { file_name: file_name.into(), ..Self::default() }
    }

    /// Checks the parameters ImageKit would refuse, naming the field.
    pub fn validate(&self) -> Result<(), Error> {
        if self.file_name.trim().is_empty() {
            return Err(Error::invalid_input("fileName", "is required and must not be empty"));
        }
        if self.file_name.chars().any(char::is_control) {
            // It goes into the file part's header, which a line break would end.
            return Err(Error::invalid_input("fileName", "contains a control character"));
        }
        if let Some(tags) = &self.tags {
            let mut length = 0;
            for tag in tags {
                if tag.is_empty() {
                    return Err(Error::invalid_input("tags", "contains an empty tag"));
                }
                if tag.contains('%') {
                    return Err(Error::invalid_input(
                        "tags",
                        format!("tag {tag:?} contains `%`, which ImageKit refuses"),
                    ));
                }
                if tag.contains(',') {
                    return Err(Error::invalid_input(
                        "tags",
                        format!("tag {tag:?} contains `,`, which separates tags when they are sent"),
                    ));
                }
                length += tag.chars().count();
            }
            if length > MAX_TAGS_LENGTH {
                return Err(Error::invalid_input(
                    "tags",
                    format!("are {length} characters together; ImageKit allows {MAX_TAGS_LENGTH}"),
                ));
            }
        }
        Ok(())
    }

    /// The form fields, in order, as the official SDKs encode them (unset fields left out).
    pub fn form_fields(&self) -> Result<Vec<(&'static str, String)>, Error> {
        let json = |name: &'static str, value: &dyn erased::Json| {
            value.to_json().map_err(|e| Error::invalid_input(name, format!("cannot be encoded as JSON: {e}")))
        };
        let flag = |b: bool| if b { "true" } else { "false" }.to_owned();
        let mut fields = vec![("fileName", self.file_name.clone())];
        let mut add = |name: &'static str, value: Option<String>| {
            if let Some(value) = value {
                fields.push((name, value));
            }
        };
        add("useUniqueFileName", self.use_unique_file_name.map(flag));
        add("tags", self.tags.as_ref().map(|t| t.join(",")));
        add("folder", self.folder.clone());
        add("isPrivateFile", self.is_private_file.map(flag));
        add("isPublished", self.is_published.map(flag));
        add("customCoordinates", self.custom_coordinates.clone());
        add(
            "responseFields",
            self.response_fields
                .as_ref()
                .map(|f| f.iter().map(ResponseField::as_str).collect::<Vec<_>>().join(",")),
        );
        add("extensions", self.extensions.as_ref().map(|e| json("extensions", e)).transpose()?);
        add("webhookUrl", self.webhook_url.clone());
        add("overwriteFile", self.overwrite_file.map(flag));
        add("overwriteAITags", self.overwrite_ai_tags.map(flag));
        add("overwriteTags", self.overwrite_tags.map(flag));
        add("overwriteCustomMetadata", self.overwrite_custom_metadata.map(flag));
        add("customMetadata", self.custom_metadata.as_ref().map(|m| json("customMetadata", m)).transpose()?);
        add("transformation", self.transformation.as_ref().map(|t| json("transformation", t)).transpose()?);
        add("checks", self.checks.clone());
        add("description", self.description.clone());
        Ok(fields)
    }
}

mod erased {
    /// Serializes to JSON text without making the closure above generic.
    pub(super) trait Json {
        fn to_json(&self) -> Result<String, serde_json::Error>;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> Result<String, serde_json::Error> {
            serde_json::to_string(self)
        }
    }
}
