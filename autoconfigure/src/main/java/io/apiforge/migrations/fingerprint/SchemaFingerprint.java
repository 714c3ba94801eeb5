package io.apiforge.migrations.fingerprint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.springframework.util.Assert;

/**
 * A normalised, ordered description of the schemas the migrations manage: each object
 * with its kind, its identity and its definition, as PostgreSQL's catalog functions
 * render them (see {@link FingerprintReader}). Two readings of the same schema are equal
 * and give the same JSON to the byte; {@link FingerprintDifference#compare} tells what
 * differs between two.
 *
 * @param postgresqlVersion the major version of the server it was read from (such as
 * {@code 15}): PostgreSQL may render a definition differently in another major version
 * @param schemas the schemas it describes, in the order given to the reader
 * @param objects the objects, ordered by kind and identity
 * @author apiforge
 */
public record SchemaFingerprint(int postgresqlVersion, List<String> schemas, List<SchemaObject> objects) {

	/**
	 * Create a fingerprint.
	 * @param postgresqlVersion the major version of the server it was read from
	 * @param schemas the schemas it describes
	 * @param objects the objects, in any order; no two of the same kind and identity
	 */
	public SchemaFingerprint {
		Assert.notNull(schemas, "'schemas' must not be null");
		Assert.notNull(objects, "'objects' must not be null");
		schemas = List.copyOf(schemas);
		List<SchemaObject> sorted = new ArrayList<>(objects);
		sorted.sort(null);
		for (int i = 1; i < sorted.size(); i++) {
			SchemaObject object = sorted.get(i);
			Assert.isTrue(!object.isSameObjectAs(sorted.get(i - 1)),
					() -> "The fingerprint holds two objects called " + object + "; an object is one entry");
		}
		objects = List.copyOf(sorted);
	}

	/**
	 * Return the object of a kind and identity.
	 * @param kind the kind
	 * @param identity the identity, such as {@code "Sales"."Customer"}
	 * @return the object, if the fingerprint holds it
	 */
	public Optional<SchemaObject> find(ObjectKind kind, String identity) {
		return this.objects.stream()
			.filter((object) -> object.kind() == kind && object.identity().equals(identity))
			.findFirst();
	}

	/**
	 * Return the objects of one severity.
	 * @param severity the severity
	 * @return the objects, in order
	 */
	public List<SchemaObject> objects(Severity severity) {
		return this.objects.stream().filter((object) -> object.severity() == severity).toList();
	}

	/**
	 * Return the JSON of this fingerprint: the same for equal fingerprints, to the byte.
	 * @return the JSON, one object a line
	 * @see #fromJson(String)
	 */
	public String toJson() {
		return FingerprintJson.write(this);
	}

	/**
	 * Read a fingerprint from its JSON.
	 * @param json the JSON, as {@link #toJson()} wrote it
	 * @return the fingerprint
	 * @throws IllegalArgumentException when the text is not a fingerprint's JSON, saying
	 * where
	 */
	public static SchemaFingerprint fromJson(String json) {
		return FingerprintJson.read(json);
	}

	/**
	 * Return a short digest of the objects (SHA-256 of their JSON, in hexadecimal): equal
	 * for fingerprints with the same objects, whatever server version or schema list they
	 * were read with. For a quick look, a log line or a metric tag; compare fingerprints
	 * to learn what differs.
	 * @return the digest, 64 hexadecimal digits
	 */
	public String digest() {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			for (SchemaObject object : this.objects) {
				sha256.update(FingerprintJson.object(object).getBytes(StandardCharsets.UTF_8));
				sha256.update((byte) '\n');
			}
			return HexFormat.of().formatHex(sha256.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

}
