package io.apiforge.sample.user;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A user as the REST resource shows it.
 *
 * @param id the user's id
 * @param fullName first and last name, filled by migration V3 for existing users
 * @param email the unique email address
 * @param phone the phone number (added by V2), if known
 * @param address the postal address (added by V2), if known
 * @author apiforge
 */
public record User(UUID id, String fullName, String email, @Nullable String phone, @Nullable String address) {

}
